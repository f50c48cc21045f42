/// A read-only map from byte strings to `Int32` values, with optional ASCII case folding, shared without locks.
///
/// Scanners and the tokenizer look up keywords, operators and names by their bytes in the source buffer; going
/// through `String` for each would cost an allocation and a UTF-8 validation per token. A table is filled through
/// a `Builder` and then frozen: its storage is allocated once and never written again, so lookups cost neither
/// reference counting of arrays, nor exclusivity checks, nor locks. Keys of up to eight bytes (nearly every keyword
/// and operator) are packed into one integer, so that their lookup is a multiply and a compare or two, with no byte
/// loop over stored keys.
public final class ByteKeyTable: @unchecked Sendable {
    // @unchecked: the pointers below are written only in `init` and freed in `deinit`; nothing mutates them between.

    /// One packed key of one to eight bytes (the first byte in the low bits); `length` 0 marks an empty slot.
    @usableFromInline
    struct ShortSlot {
        @usableFromInline var key: UInt64 = 0
        @usableFromInline var length: Int32 = 0
        @usableFromInline var value: Int32 = 0
    }

    /// One key of more than eight bytes, stored at `offset` in the pool; `length` 0 marks an empty slot.
    @usableFromInline
    struct LongSlot {
        @usableFromInline var offset: Int32 = 0
        @usableFromInline var length: Int32 = 0
        @usableFromInline var value: Int32 = 0
    }

    @usableFromInline let foldsCase: Bool
    @usableFromInline let shortSlots: UnsafeMutablePointer<ShortSlot>
    @usableFromInline let shortMask: Int
    /// The multiplicative hash keeps the top bits: 64 minus log2 of the short table's size.
    @usableFromInline let shortShift: UInt64
    @usableFromInline let longSlots: UnsafeMutablePointer<LongSlot>
    @usableFromInline let longMask: Int
    @usableFromInline let pool: UnsafeMutablePointer<UInt8>
    /// Keys longer than any stored miss without hashing: most long identifiers are no keyword.
    @usableFromInline let maxLength: Int
    @usableFromInline let emptyKeyValue: Int32?
    /// Number of keys.
    let count: Int

    /// Freezes the keys and values of a builder.
    public init(_ builder: Builder) {
        foldsCase = builder.foldsCase
        count = builder.values.count
        var shortCount = 0
        var longCount = 0
        var longBytes = 0
        var maximum = 0
        var empty: Int32?
        for index in 0..<builder.values.count {
            let length = Int(builder.lengths[index])
            maximum = max(maximum, length)
            if length == 0 {
                empty = builder.values[index]
            } else if length <= 8 {
                shortCount += 1
            } else {
                longCount += 1
                longBytes += length
            }
        }
        maxLength = maximum
        emptyKeyValue = empty

        // A load of at most a quarter keeps probe runs short for the misses that most lookups are.
        var shortSize = 64
        var bits: UInt64 = 6
        while shortSize < shortCount * 4 {
            shortSize *= 2
            bits += 1
        }
        var longSize = 16
        while longSize < longCount * 4 { longSize *= 2 }
        shortMask = shortSize - 1
        shortShift = 64 - bits
        longMask = longSize - 1
        shortSlots = .allocate(capacity: shortSize)
        shortSlots.initialize(repeating: ShortSlot(), count: shortSize)
        longSlots = .allocate(capacity: longSize)
        longSlots.initialize(repeating: LongSlot(), count: longSize)
        pool = .allocate(capacity: max(1, longBytes))
        pool.initialize(repeating: 0, count: max(1, longBytes))

        var poolEnd = 0
        builder.keys.withUnsafeBufferPointer { stored in
            guard let keys = stored.baseAddress else { return }
            for index in 0..<builder.values.count {
                let length = Int(builder.lengths[index])
                let start = keys + Int(builder.offsets[index])
                let value = builder.values[index]
                if length == 0 { continue }
                if length <= 8 {
                    // Builder keys are stored folded already, so they pack as a folded lookup does.
                    let key = Self.pack(start, length, fold: false)
                    var slot = Self.shortSlot(key, length, shift: shortShift)
                    while shortSlots[slot].length != 0 { slot = (slot + 1) & shortMask }
                    shortSlots[slot] = ShortSlot(key: key, length: Int32(length), value: value)
                } else {
                    (pool + poolEnd).update(from: start, count: length)
                    var slot = Self.hash(start, length, fold: false) & longMask
                    while longSlots[slot].length != 0 { slot = (slot + 1) & longMask }
                    longSlots[slot] = LongSlot(offset: Int32(poolEnd), length: Int32(length), value: value)
                    poolEnd += length
                }
            }
        }
    }

    deinit {
        shortSlots.deallocate()
        longSlots.deallocate()
        pool.deallocate()
    }

    /// The value stored for `length` bytes at `base`, or nil; `base` must be readable for `length` bytes.
    @inlinable @inline(__always)
    public func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        if length <= 8 {
            if length <= 0 { return length == 0 ? emptyKeyValue : nil }
            let key = Self.pack(base, length, fold: foldsCase)
            var slot = Self.shortSlot(key, length, shift: shortShift)
            while true {
                let stored = shortSlots[slot]
                if stored.length == 0 { return nil }
                if stored.key == key && Int(stored.length) == length { return stored.value }
                slot = (slot + 1) & shortMask
            }
        }
        if length > maxLength { return nil }
        return longLookup(base, length)
    }

    @usableFromInline
    func longLookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
        var slot = Self.hash(base, length, fold: foldsCase) & longMask
        while true {
            let stored = longSlots[slot]
            if stored.length == 0 { return nil }
            if Int(stored.length) == length && Self.equal(pool + Int(stored.offset), base, length, fold: foldsCase) {
                return stored.value
            }
            slot = (slot + 1) & longMask
        }
    }

    /// The value stored for a byte array, or nil.
    public func lookup(_ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return emptyKeyValue }
            return lookup(base, buffer.count)
        }
    }

    /// The value stored for a string's UTF-8 bytes, or nil.
    public func lookup(_ text: String) -> Int32? { lookup(Array(text.utf8)) }

    /// An ASCII capital made lowercase; every other byte as it is.
    @inlinable @inline(__always)
    public static func fold(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// Up to eight bytes in one integer, the first in the low bits.
    @inlinable @inline(__always)
    static func pack(_ base: UnsafePointer<UInt8>, _ length: Int, fold: Bool) -> UInt64 {
        var key: UInt64 = 0
        if fold {
            for k in 0..<length { key |= UInt64(Self.fold(base[k])) << (8 * UInt64(k)) }
        } else {
            for k in 0..<length { key |= UInt64(base[k]) << (8 * UInt64(k)) }
        }
        return key
    }

    @inlinable @inline(__always)
    static func shortSlot(_ key: UInt64, _ length: Int, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ UInt64(length)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// FNV-1a over the bytes, folded when asked, with the high bits mixed into the low ones the mask keeps.
    @inlinable @inline(__always)
    static func hash(_ base: UnsafePointer<UInt8>, _ length: Int, fold: Bool) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        if fold {
            for i in 0..<length { h = (h ^ UInt64(Self.fold(base[i]))) &* 0x100_0000_01b3 }
        } else {
            for i in 0..<length { h = (h ^ UInt64(base[i])) &* 0x100_0000_01b3 }
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// `hash` of no bytes.
    @usableFromInline
    static let emptyKeyHash: Int = {
        let h: UInt64 = 0xcbf2_9ce4_8422_2325
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }()

    /// Whether `length` bytes at `probe`, folded when asked, equal the stored (already folded) bytes.
    @inlinable @inline(__always)
    static func equal(_ stored: UnsafePointer<UInt8>, _ probe: UnsafePointer<UInt8>, _ length: Int, fold: Bool) -> Bool {
        if fold {
            for i in 0..<length where stored[i] != Self.fold(probe[i]) { return false }
        } else {
            for i in 0..<length where stored[i] != probe[i] { return false }
        }
        return true
    }
}

extension ByteKeyTable {
    /// Keys and values on their way to a `ByteKeyTable`; sets of names that grow while a file is read look up
    /// through it directly.
    public struct Builder: Sendable {
        /// Key bytes, one key after another (folded when the table folds case).
        @usableFromInline var keys: [UInt8] = []
        @usableFromInline var offsets: [Int32] = []
        @usableFromInline var lengths: [Int32] = []
        @usableFromInline var values: [Int32] = []
        /// Open-addressing slots holding indices into the arrays above, -1 when empty.
        @usableFromInline var slots: [Int32]
        @usableFromInline var mask: Int
        /// Whether lookups fold ASCII letters to lowercase (keys are then stored lowercase).
        @usableFromInline let foldsCase: Bool

        /// An empty builder with room for about `capacity` keys before it grows.
        public init(capacity: Int = 64, foldsCase: Bool = false) {
            var size = 16
            while size < capacity * 2 { size *= 2 }
            slots = Array(repeating: -1, count: size)
            mask = size - 1
            self.foldsCase = foldsCase
        }

        /// Number of keys.
        var count: Int { values.count }

        /// The index of the key spelled by `length` bytes at `base`, and the slot that holds it or that it would take.
        @inlinable @inline(__always)
        func find(_ base: UnsafePointer<UInt8>, _ length: Int) -> (index: Int, slot: Int) {
            var slot = ByteKeyTable.hash(base, length, fold: foldsCase) & mask
            return keys.withUnsafeBufferPointer { stored -> (index: Int, slot: Int) in
                while true {
                    let index = Int(slots[slot])
                    if index < 0 { return (-1, slot) }
                    if Int(lengths[index]) == length {
                        // An empty key matches without reading: `stored` may have no base address yet.
                        if length == 0 { return (index, slot) }
                        if let start = stored.baseAddress?.advanced(by: Int(offsets[index])),
                           ByteKeyTable.equal(start, base, length, fold: foldsCase) {
                            return (index, slot)
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }

        /// The value stored for `length` bytes at `base`, or nil; `base` must be readable for `length` bytes.
        @inlinable @inline(__always)
        public func lookup(_ base: UnsafePointer<UInt8>, _ length: Int) -> Int32? {
            if length < 0 { return nil }
            let index = find(base, length).index
            return index < 0 ? nil : values[index]
        }

        /// The value stored for a byte array, or nil.
        func lookup(_ bytes: [UInt8]) -> Int32? {
            var padded = bytes
            // One padding byte keeps the buffer non-empty, so an empty key still has a base address.
            padded.append(0)
            return padded.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return nil }
                return lookup(base, buffer.count - 1)
            }
        }

        /// The value stored for a string's UTF-8 bytes, or nil.
        func lookup(_ text: String) -> Int32? { lookup(Array(text.utf8)) }

        /// Stores a value for `length` bytes at `base`; an existing key keeps its first value unless `replace` is
        /// set. Returns the value stored for the key afterwards.
        @discardableResult
        public mutating func insert(_ base: UnsafePointer<UInt8>, _ length: Int, value: Int32, replace: Bool = false) -> Int32 {
            // Keys are token spans and literals, never of negative length: a caller's defect, not an input condition.
            precondition(length >= 0, "a key of negative length")
            if (values.count + 1) * 2 > slots.count { grow() }
            let (index, slot) = find(base, length)
            if index >= 0 {
                if replace { values[index] = value }
                return values[index]
            }
            slots[slot] = Int32(values.count)
            offsets.append(Int32(keys.count))
            lengths.append(Int32(length))
            for i in 0..<length { keys.append(foldsCase ? ByteKeyTable.fold(base[i]) : base[i]) }
            values.append(value)
            return value
        }

        /// Stores a value for a byte array, as `insert(_:_:value:replace:)` does.
        @discardableResult
        public mutating func insert(_ bytes: [UInt8], value: Int32, replace: Bool = false) -> Int32 {
            var padded = bytes
            padded.append(0)
            return padded.withUnsafeBufferPointer { buffer -> Int32 in
                guard let base = buffer.baseAddress else { return value }
                return insert(base, buffer.count - 1, value: value, replace: replace)
            }
        }

        @usableFromInline
        mutating func grow() {
            let size = slots.count * 2
            var grown = [Int32](repeating: -1, count: size)
            let newMask = size - 1
            keys.withUnsafeBufferPointer { stored in
                for index in 0..<values.count {
                    // Keys are stored folded: hashing them unfolded gives the hash a folded lookup computes.
                    // Only an empty key can find no stored bytes (when it is the only key).
                    let start = stored.baseAddress?.advanced(by: Int(offsets[index]))
                    let hash = start.map { ByteKeyTable.hash($0, Int(lengths[index]), fold: false) }
                    var slot = (hash ?? ByteKeyTable.emptyKeyHash) & newMask
                    while grown[slot] >= 0 { slot = (slot + 1) & newMask }
                    grown[slot] = Int32(index)
                }
            }
            slots = grown
            mask = newMask
        }
    }
}
