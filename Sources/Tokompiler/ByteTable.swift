import StageKit
/// An open-addressing hash map from byte strings to `Int32` values, with optional ASCII case folding.
///
/// The tokenizer looks up every keyword, operator and name by its bytes in the source buffer; going through
/// `String` for each would cost an allocation and a UTF-8 validation per token. Shared, read-only tables are
/// `FrozenByteTable`s.
struct ByteTable: ByteKeyedLookup, Sendable {
    fileprivate var keys: [UInt8] = []
    fileprivate var offsets: [Int32] = []
    fileprivate var lengths: [Int32] = []
    fileprivate var values: [Int32] = []
    fileprivate var slots: [Int32]
    fileprivate var mask: Int
    /// Whether lookups fold ASCII letters to lowercase (keys must then be stored lowercase).
    let foldsCase: Bool

    init(capacity: Int = 64, foldsCase: Bool = false) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        self.foldsCase = foldsCase
    }

    /// Number of keys.
    var count: Int { values.count }

    @inline(__always)
    static func fold(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    @inline(__always)
    private func hash(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if foldsCase {
            for i in 0..<length { h = (h ^ UInt64(ByteTable.fold(base[i]))) &* 0x100_0000_01b3 }
        } else {
            for i in 0..<length { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func matches(_ index: Int, _ base: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        guard Int(lengths[index]) == length else { return false }
        return keys.withUnsafeBufferPointer { stored -> Bool in
            guard let start = stored.baseAddress?.advanced(by: Int(offsets[index])) else { return length == 0 }
            if foldsCase {
                for i in 0..<length where start[i] != ByteTable.fold(base[i]) { return false }
            } else {
                for i in 0..<length where start[i] != base[i] { return false }
            }
            return true
        }
    }

    /// The value stored for the bytes, or nil.
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        var slot = hash(base, length) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if matches(index, base, length) { return values[index] }
            slot = (slot + 1) & mask
        }
    }

    /// Stores a value; an existing key keeps its first value unless `replace` is set. Returns the stored value.
    @discardableResult
    mutating func insert(_ bytes: [UInt8], value: Int32, replace: Bool = false) -> Int32 {
        let key = foldsCase ? bytes.map(ByteTable.fold) : bytes
        if (values.count + 1) * 2 > slots.count { grow() }
        // One padding byte keeps the buffer non-empty, so an empty key still has a base address.
        var padded = key
        padded.append(0)
        return padded.withUnsafeBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return value }
            let length = buffer.count - 1
            var slot = hash(base, length) & mask
            while true {
                let index = Int(slots[slot])
                if index < 0 { break }
                if matches(index, base, length) {
                    if replace { values[index] = value }
                    return values[index]
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = Int32(values.count)
            offsets.append(Int32(keys.count))
            lengths.append(Int32(length))
            keys.append(contentsOf: buffer[0..<length])
            values.append(value)
            return value
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for index in 0..<values.count {
            let slotIndex: Int = keys.withUnsafeBufferPointer { stored in
                guard let base = stored.baseAddress?.advanced(by: Int(offsets[index])) else { return 0 }
                return hash(base, Int(lengths[index])) & mask
            }
            var slot = slotIndex
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

/// A `ByteTable` that no longer changes, as a class with constant storage: looking up through a shared
/// vocabulary then costs neither reference counting of the table's arrays nor exclusivity checks. Keys of up to
/// eight bytes (nearly every keyword and operator) are also packed into one integer, so that their lookup is a
/// multiply, a compare or two and no byte loop over stored keys.
final class FrozenByteTable: ByteKeyedLookup, Sendable {
    private let keys: [UInt8]
    private let offsets: [Int32]
    private let lengths: [Int32]
    private let values: [Int32]
    private let slots: [Int32]
    private let mask: Int
    private let foldsCase: Bool
    // Packed short keys: slot -> key, length, value (length 0 marks an empty slot).
    private let shortKeys: [UInt64]
    private let shortLengths: [UInt8]
    private let shortValues: [Int32]
    private let shortShift: UInt64

    init(_ table: ByteTable) {
        keys = table.keys
        offsets = table.offsets
        lengths = table.lengths
        values = table.values
        slots = table.slots
        mask = table.mask
        foldsCase = table.foldsCase
        var size = 64
        var bits: UInt64 = 6
        while size < table.values.count * 4 {
            size *= 2
            bits += 1
        }
        var shortKeys = [UInt64](repeating: 0, count: size)
        var shortLengths = [UInt8](repeating: 0, count: size)
        var shortValues = [Int32](repeating: -1, count: size)
        let shift = 64 - bits
        for index in 0..<table.values.count where table.lengths[index] > 0 && table.lengths[index] <= 8 {
            let length = Int(table.lengths[index])
            let start = Int(table.offsets[index])
            var key: UInt64 = 0
            for k in 0..<length { key |= UInt64(table.keys[start + k]) << (8 * UInt64(k)) }
            var slot = Int(((key ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
            while shortLengths[slot] != 0 { slot = (slot + 1) & (size - 1) }
            shortKeys[slot] = key
            shortLengths[slot] = UInt8(length)
            shortValues[slot] = table.values[index]
        }
        self.shortKeys = shortKeys
        self.shortLengths = shortLengths
        self.shortValues = shortValues
        shortShift = shift
    }

    /// The value stored for the bytes, or nil.
    @inline(__always)
    func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        if length > 0 && length <= 8 {
            var key: UInt64 = 0
            if foldsCase {
                for k in 0..<length { key |= UInt64(ByteTable.fold(base[k])) << (8 * UInt64(k)) }
            } else {
                for k in 0..<length { key |= UInt64(base[k]) << (8 * UInt64(k)) }
            }
            let size = shortKeys.count
            var slot = Int(((key ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) >> shortShift)
            while true {
                let stored = shortLengths[slot]
                if stored == 0 { return nil }
                if Int(stored) == length && shortKeys[slot] == key { return shortValues[slot] }
                slot = (slot + 1) & (size - 1)
            }
        }
        return longLookup(base, length)
    }

    private func longLookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if foldsCase {
            for i in 0..<length { h = (h ^ UInt64(ByteTable.fold(base[i]))) &* 0x100_0000_01b3 }
        } else {
            for i in 0..<length { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3 }
        }
        var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        return keys.withUnsafeBufferPointer { stored -> Int32? in
            while true {
                let index = Int(slots[slot])
                if index < 0 { return nil }
                if Int(lengths[index]) == length, let start = stored.baseAddress?.advanced(by: Int(offsets[index])) {
                    var same = true
                    if foldsCase {
                        for i in 0..<length where start[i] != ByteTable.fold(base[i]) { same = false; break }
                    } else {
                        for i in 0..<length where start[i] != base[i] { same = false; break }
                    }
                    if same { return values[index] }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}

/// The lookups both byte tables answer from their pointer-and-length form.
protocol ByteKeyedLookup {
    /// The value stored for `length` bytes at `base`, or nil.
    func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32?
}

extension ByteKeyedLookup {
    /// The value stored for a byte array, or nil.
    func lookup(_ bytes: [UInt8]) -> Int32? {
        var padded = bytes
        padded.append(0)
        return padded.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return nil }
            return lookup(base, buffer.count - 1)
        }
    }

    /// The value stored for a string's UTF-8 bytes, or nil.
    func lookup(_ text: String) -> Int32? { lookup(Array(text.utf8)) }
}
