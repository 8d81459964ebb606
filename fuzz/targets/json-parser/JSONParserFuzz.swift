// Fuzzes JSONValue.parse (Sources/MemFluxCore/JSON/JSONParser.swift) and runs
// the printer (JSONPrinter.swift) on whatever parses.
//
// Properties checked (a failure traps, which libFuzzer reports as a crash):
//   - the parser reads only the input: it runs over libFuzzer's exact-size
//     heap copy, so ASan reports a read past the end;
//   - a rejected text names an offset inside the input (0...count);
//   - what parses prints to text that parses back to an equal value (same
//     hash), and printing that value again gives the same bytes.

import MemFluxCore

@inline(never)
func fail(_ what: String, _ input: UnsafeRawBufferPointer) -> Never {
    let text = String(decoding: input.prefix(512), as: UTF8.self)
    fatalError("json-parser: \(what); input (\(input.count) bytes): \(text.debugDescription)")
}

func parse(_ bytes: ContiguousArray<UInt8>) -> Result<JSONValue, MemFluxError> {
    bytes.withUnsafeBytes { raw in Result { () throws(MemFluxError) in try JSONValue.parse(raw) } }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    let value: JSONValue
    do {
        value = try JSONValue.parse(input)
    } catch {
        guard let position = error.position, position >= 0, position <= size else {
            fail("error without an offset inside the input: \(error)", input)
        }
        return 0
    }

    var printed = ContiguousArray<UInt8>()
    value.serialize(into: &printed)
    switch parse(printed) {
    case .failure(let error):
        fail("printed text \(String(decoding: printed, as: UTF8.self).debugDescription) does not parse: \(error)", input)
    case .success(let again):
        guard again == value, again.hashValue == value.hashValue else {
            fail("parse(print(x)) != x: printed \(String(decoding: printed, as: UTF8.self).debugDescription)", input)
        }
        var reprinted = ContiguousArray<UInt8>()
        again.serialize(into: &reprinted)
        guard reprinted == printed else {
            fail("print(parse(print(x))) != print(x): \(String(decoding: reprinted, as: UTF8.self).debugDescription)", input)
        }
    }
    return 0
}
