import MemFluxCore
import MemFluxStorage

enum HashCommands {
    static let all: [Command] = []
}
