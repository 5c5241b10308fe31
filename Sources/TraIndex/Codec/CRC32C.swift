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
        /// The checksum with the SSE4.2 `crc32` instruction: eight bytes per instruction, then the
        /// remaining bytes one at a time.
        package static func hardwareChecksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return seed }
            var crc = UInt64(~seed)
            var offset = 0
            let count = bytes.count
            while count - offset >= 8 {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                crc = _mm_crc32_u64(crc, word)
                offset += 8
            }
            var crc32 = UInt32(truncatingIfNeeded: crc)
            while offset < count {
                crc32 = _mm_crc32_u8(crc32, base.load(fromByteOffset: offset, as: UInt8.self))
                offset += 1
            }
            return ~crc32
        }
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
