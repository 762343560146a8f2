package io.kmemlab.boot.lab;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Refuses a student's class that could end kmemlab itself: the SecurityManager that once stopped
 * {@code System.exit} is deprecated for removal (JEP 411), so instead the class file's constant
 * pool (JVMS §4.4) is read and every method it references is looked up in a short list — the
 * calls that end or halt the JVM, and reflection, through which they could be reached by name.
 * An allocator needs none of them. A class file that cannot be read is refused too.
 */
final class BytecodeScan {
    /** owner/name of the methods refused, in the class file's internal form. */
    private static final Set<String> REFUSED = Set.of(
            "java/lang/System.exit",
            "java/lang/Runtime.exit",
            "java/lang/Runtime.halt",
            "java/lang/Runtime.getRuntime",
            "java/lang/reflect/Method.invoke",
            "java/lang/invoke/MethodHandles.lookup",
            "java/lang/invoke/MethodHandles.publicLookup",
            "java/lang/Class.forName");

    private BytecodeScan() {}

    /** The refused methods {@code classFile} references, as {@code java.lang.System.exit}; empty if none. */
    static List<String> refusedCalls(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] first = new int[count];
        int[] second = new int[count];
        int[] tag = new int[count];
        for (int i = 1; i < count; i++) {
            int t = in.readUnsignedByte();
            tag[i] = t;
            switch (t) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // a long or double takes two entries
                }
                case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> {
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 15 -> {
                    in.readUnsignedByte();
                    first[i] = in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + t + " at entry " + i);
            }
        }
        List<String> found = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            if (tag[i] != 10 && tag[i] != 11) {
                continue;
            }
            String owner = at(utf8, first, first[i]);
            int nat = second[i];
            String name = nat > 0 && nat < count ? utf8At(utf8, first[nat]) : null;
            String ref = owner + "." + name;
            if (REFUSED.contains(ref) && !found.contains(ref.replace('/', '.'))) {
                found.add(ref.replace('/', '.'));
            }
        }
        return found;
    }

    /** The name of Class entry {@code cls}. */
    private static String at(String[] utf8, int[] first, int cls) {
        return cls > 0 && cls < first.length ? utf8At(utf8, first[cls]) : null;
    }

    private static String utf8At(String[] utf8, int i) {
        return i > 0 && i < utf8.length ? utf8[i] : null;
    }
}
