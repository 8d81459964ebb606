// Fuzzes the JSON path parser (Sources/MemFluxCore/JSON/JSONPath+Parse.swift).
//
// Properties checked (a failure traps, which libFuzzer reports as a crash):
//   - the parser reads only the input: JSONPathParser runs over libFuzzer's
//     exact-size heap copy, so ASan reports a read past the end;
//   - the public JSONPath.parse(Bytes) agrees with it;
//   - a rejected path names an offset inside the input (0...count);
//   - a parsed path has at most 512 steps, never ends in `..`, and its
//     `description` parses back to an equal path that prints the same;
//   - reading the path from a small document does not trap, and a definite
//     path matches at most one value.

@testable import MemFluxCore

@inline(never)
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let text = String(decoding: input.prefix(512), as: UTF8.self)
    fatalError("json-path: \(what); input (\(input.count) bytes): \(text.debugDescription)")
}

/// Parsed for each input, not kept in a global: LeakSanitizer reports what a
/// global JSONValue holds as leaked (presumably because the enum stores its
/// payload pointer with tag bits set, which no longer looks like a pointer).
let documentText = #"{"a":{"b":[1,{"c":"x"},[2,3]],"a":null},"*":true,"":{"k.y":[{"a":0}]}}"#

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONPath(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var parser = JSONPathParser(bytes: input)
    let result = Result { () throws(MemFluxError) in try parser.parsePath() }
    let viaBytes = Result { () throws(MemFluxError) in try JSONPath.parse(Bytes(input)) }
    guard result == viaBytes else { fail("JSONPath.parse(Bytes) gives \(viaBytes), the parser \(result)", input) }

    let path: JSONPath
    switch result {
    case .failure(let error):
        guard let position = error.position, position >= 0, position <= size else {
            fail("error without an offset inside the input: \(error)", input)
        }
        return 0
    case .success(let parsed):
        path = parsed
    }

    guard path.steps.count <= JSONParser.maxDepth else { fail("\(path.steps.count) steps", input) }
    guard path.steps.last != .descendants else { fail("path ends in '..'", input) }
    let text = path.description
    switch Result(catching: { () throws(MemFluxError) in try JSONPath.parse(text) }) {
    case .failure(let error):
        fail("description \(text.debugDescription) does not parse: \(error)", input)
    case .success(let again):
        guard again == path else { fail("parse(description) != path: \(text.debugDescription) gives \(again)", input) }
        guard again.description == text else {
            fail("description not stable: \(text.debugDescription) then \(again.description.debugDescription)", input)
        }
    }

    let matches = try! JSONValue.parse(documentText).values(at: path)
    if path.isDefinite && matches.count > 1 { fail("definite path matched \(matches.count) values", input) }
    return 0
}
