#if arch(x86_64) && canImport(_Builtin_intrinsics)
    import _Builtin_intrinsics.intel
#endif

/// The CRC-32C checksum (Castagnoli), used in the footer of every segment file and section.
///
/// CRC-32C is a cyclic redundancy check over GF(2) with the generator polynomial 0x1EDC6F41, chosen
/// by Castagnoli, Bräuer & Herrmann ("Optimization of Cyclic Redundancy-Check Codes with 24 and 32
/// Parity Bits", IEEE Transactions on Communications 41(6), 1993) for its larger Hamming distance on
/// the message lengths storage systems use. It is the checksum of iSCSI (RFC 3720, appendix B.4),
/// SCTP, ext4 and many storage engines, so its check values are easy to verify against other tools.
///
/// The parameters are the usual ones ("CRC-32/ISCSI" in Williams' catalogue): bits are processed
/// least significant first (the reflected polynomial 0x82F63B78), the register starts at all ones
/// and the result is complemented. The check value of the ASCII bytes `123456789` is `0xE3069283`.
///
/// The implementation is table-driven and reads eight bytes per step ("slicing-by-8", Kounavis &
/// Berry, "A Systematic Approach to Building High Performance Software-Based CRC Generators", ISCC
/// 2005): eight 256-entry tables give the effect of each byte of a 64-bit word at its distance from
/// the end of the word, so one step costs eight table lookups and no data-dependent shifts per bit.
///
/// On x86_64 the checksum is computed by the SSE4.2 `crc32` instruction, which implements exactly
/// this polynomial (Intel, "Intel 64 and IA-32 Architectures Software Developer's Manual", CRC32),
/// eight bytes per instruction: several times faster than the tables. x86_64 builds therefore
/// require SSE4.2, which every x86-64 CPU since about 2009 has (the x86-64-v2 level); the package
/// compiles TraIndex with `-msse4.2` on x86_64. Other architectures use the tables
/// (``tableChecksum(_:seed:)``, which stays available on x86_64 for tests and measurements).
///
/// Checksums are incremental: passing the checksum of a prefix as `seed` continues it, so
///
///     let whole = CRC32C.checksum(ab)
///     let split = CRC32C.checksum(b, seed: CRC32C.checksum(a))   // == whole
///
/// for any split of `ab` into `a` followed by `b`.
package enum CRC32C {
    /// The reflected Castagnoli polynomial.
    package static let polynomial: UInt32 = 0x82F6_3B78

    /// Eight 256-entry tables, concatenated: `tables[k * 256 + b]` is the CRC register contribution
    /// of byte `b` followed by `k` zero bytes.
    private static let tables: [UInt32] = makeTables()

    /// Returns the CRC-32C of `bytes`, continuing from `seed` (the checksum of the preceding bytes,
    /// or 0 to start).
    ///
    /// - Parameters:
    ///   - bytes: The bytes to checksum.
    ///   - seed: The checksum of everything before `bytes`; 0 for a fresh checksum.
    /// - Returns: The checksum of the bytes that produced `seed` followed by `bytes`.
    /// - Complexity: O(n) in the number of bytes, about one table lookup per byte.
    @inline(__always)
    package static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        #if arch(x86_64) && canImport(_Builtin_intrinsics)
            return hardwareChecksum(bytes, seed: seed)
        #else
            return tableChecksum(bytes, seed: seed)
        #endif
    }

    /// The table-driven (slicing-by-8) checksum: what ``checksum(_:seed:)`` computes on
    /// architectures without a CRC-32C instruction.
    ///
    /// - Complexity: O(n) in the number of bytes, about one table lookup per byte.
    package static func tableChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return seed }
        return tables.withUnsafeBufferPointer { table in
            ~update(~seed, base, bytes.count, table)
        }
    }

    #if arch(x86_64) && canImport(_Builtin_intrinsics)
        /// The checksum with the SSE4.2 `crc32` instruction, eight bytes per instruction.
        ///
        /// One instruction takes three cycles before the next can use its result, but a new one can
        /// start every cycle: a single chain of them runs at a third of the speed the processor
        /// allows. So the input goes in rounds of three consecutive blocks of ``interleave`` bytes,
        /// each block a chain of its own, the three in step; the chains are then joined by
        /// linearity. The register update over GF(2) is linear in the register and the data
        /// together, so the register after a block `Y` from register `r` is the register after
        /// `|Y|` zero bytes from `r` (``shiftedByInterleave(_:_:)``) xor the register after `Y` from
        /// zero: the three chains' registers `a`, `b`, `c` join as `shift(shift(a) ^ b) ^ c`. (The
        /// method is Intel's, in "Fast CRC Computation for iSCSI Polynomial Using CRC32
        /// Instruction", 2011, with the shift done by tables rather than carry-less multiplication.)
        /// The rest, shorter than a round, goes in one chain, then a byte at a time.
        package static func hardwareChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return seed }
            var crc = ~seed
            var offset = 0
            let count = bytes.count
            if count >= 3 * interleave {
                let shift = shiftTables
                while count - offset >= 3 * interleave {
                    var a = UInt64(crc)
                    var b: UInt64 = 0
                    var c: UInt64 = 0
                    let block = base + offset
                    @inline(__always)
                    func word(_ at: Int) -> UInt64 {
                        UInt64(littleEndian: block.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                    }
                    var i = 0
                    while i < interleave {
                        a = _mm_crc32_u64(a, word(i))
                        b = _mm_crc32_u64(b, word(interleave + i))
                        c = _mm_crc32_u64(c, word(2 * interleave + i))
                        i += 8
                    }
                    let ab = shiftedByInterleave(UInt32(truncatingIfNeeded: a), shift) ^ UInt32(truncatingIfNeeded: b)
                    crc = shiftedByInterleave(ab, shift) ^ UInt32(truncatingIfNeeded: c)
                    offset += 3 * interleave
                }
            }
            var crc64 = UInt64(crc)
            while count - offset >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                crc64 = _mm_crc32_u64(crc64, word)
                offset += 8
            }
            var crc32 = UInt32(truncatingIfNeeded: crc64)
            while offset < count {
                crc32 = _mm_crc32_u8(crc32, base.load(fromByteOffset: offset, as: UInt8.self))
                offset += 1
            }
            return ~crc32
        }

        /// The bytes of each of the three chains of a round of ``hardwareChecksum(_:seed:)``: short
        /// enough that inputs of a few hundred bytes (a postings block, a chunk of positions) use
        /// them, long enough that joining the chains (eight table reads) costs little beside them.
        private static let interleave = 128

        /// The register after ``interleave`` zero bytes from `register`: by linearity, the xor of
        /// that of each of its four bytes, looked up in ``shiftTables``.
        @inline(__always)
        private static func shiftedByInterleave(_ register: UInt32, _ tables: UnsafePointer<UInt32>) -> UInt32 {
            tables[Int(register & 0xFF)] ^ tables[256 + Int((register >> 8) & 0xFF)]
                ^ tables[512 + Int((register >> 16) & 0xFF)] ^ tables[768 + Int(register >> 24)]
        }

        /// `shiftTables[k * 256 + b]`: the register after ``interleave`` zero bytes from the register
        /// `b << (8 k)`. Made once, never freed (4 KiB), and only read once made (hence
        /// `nonisolated(unsafe)`: the pointer is not Sendable, what it points to never changes).
        nonisolated(unsafe) private static let shiftTables: UnsafePointer<UInt32> = {
            let tables = UnsafeMutablePointer<UInt32>.allocate(capacity: 4 * 256)
            for k in 0..<4 {
                for byte in 0..<256 {
                    var register = UInt64(UInt32(byte) << UInt32(8 * k))
                    for _ in 0..<(interleave / 8) { register = _mm_crc32_u64(register, 0) }
                    tables[k * 256 + byte] = UInt32(truncatingIfNeeded: register)
                }
            }
            return UnsafePointer(tables)
        }()
    #endif

    /// Returns the CRC-32C of an array of bytes.
    ///
    /// - Complexity: O(n) in the number of bytes.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Advances the (uncomplemented) CRC register over `count` bytes at `base`.
    @inline(__always)
    private static func update(
        _ start: UInt32, _ base: UnsafeRawPointer, _ count: Int, _ table: UnsafeBufferPointer<UInt32>
    ) -> UInt32 {
        var crc = start
        var offset = 0
        // Eight bytes per step: the register is folded into the first four bytes, and each of the
        // eight bytes is looked up in the table for its distance from the end of the word.
        while count - offset >= 8 {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let low = crc ^ UInt32(truncatingIfNeeded: word)
            let high = UInt32(truncatingIfNeeded: word >> 32)
            crc =
                table[7 * 256 + Int(low & 0xFF)] ^ table[6 * 256 + Int((low >> 8) & 0xFF)]
                ^ table[5 * 256 + Int((low >> 16) & 0xFF)] ^ table[4 * 256 + Int(low >> 24)]
                ^ table[3 * 256 + Int(high & 0xFF)] ^ table[2 * 256 + Int((high >> 8) & 0xFF)]
                ^ table[1 * 256 + Int((high >> 16) & 0xFF)] ^ table[Int(high >> 24)]
            offset += 8
        }
        while offset < count {
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            offset += 1
        }
        return crc
    }

    /// Builds the slicing-by-8 tables. Table 0 is the classic byte-at-a-time table (Sarwate 1988);
    /// table k extends table k - 1 by one more zero byte.
    private static func makeTables() -> [UInt32] {
        var tables = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ polynomial : crc >> 1 }
            tables[byte] = crc
        }
        for k in 1..<8 {
            for byte in 0..<256 {
                let previous = tables[(k - 1) * 256 + byte]
                tables[k * 256 + byte] = (previous >> 8) ^ tables[Int(previous & 0xFF)]
            }
        }
        return tables
    }
}
