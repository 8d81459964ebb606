import MemFluxCore
import MemFluxStorage

enum JSONCommands {
    static let all: [Command] = []
}
