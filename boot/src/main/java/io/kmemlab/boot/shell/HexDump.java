package io.kmemlab.boot.shell;

import io.kmemlab.mm.PhysMem;
import java.util.function.LongUnaryOperator;

/**
 * The kernel's {@code print_hex_dump(level, "", DUMP_PREFIX_ADDRESS, 16, 1, buf, len, true)}:
 * 16 bytes a row as two hex digits each, the printable ASCII column starting at column 49
 * ({@code rowsize * 2 + rowsize / groupsize + 1}), and the address of the row in front. The kernel
 * hashes {@code %p}; kmemlab prints the real virtual address, as with {@code no_hash_pointers}.
 */
public final class HexDump {
    private static final int ROW = 16;
    private static final int ASCII_COLUMN = ROW * 2 + ROW + 1;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private HexDump() {}

    /** The dump of [addr, addr + len), one line per row, each ending with a newline. */
    public static String dump(PhysMem mem, long addr, int len) {
        return dump(a -> mem.readU8(a), addr, len);
    }

    /** The dump of [addr, addr + len) of any memory: {@code byteAt} gives the byte at an address. */
    public static String dump(LongUnaryOperator byteAt, long addr, int len) {
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off < len; off += ROW) {
            int n = Math.min(ROW, len - off);
            long row = addr + off;
            sb.append(String.format("%016x: ", row));
            int start = sb.length();
            for (int i = 0; i < n; i++) {
                int b = (int) byteAt.applyAsLong(row + i);
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
            }
            while (sb.length() - start < ASCII_COLUMN) {
                sb.append(' ');
            }
            for (int i = 0; i < n; i++) {
                int b = (int) byteAt.applyAsLong(row + i);
                sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
