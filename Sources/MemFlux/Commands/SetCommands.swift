import MemFluxCore
import MemFluxStorage

enum SetCommands {
    static let all: [Command] = []
}
