package io.kmemlab.boot.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command-line spelling of an enum's constants, which is their {@code toString()}
 * ({@code kmalloc-mix}, {@code malloclab}); picocli lists the same spellings in
 * {@code ${COMPLETION-CANDIDATES}}. A subclass per enum, since an annotation names a class.
 */
abstract class CliEnum<E extends Enum<E>> implements ITypeConverter<E> {
    private final Class<E> type;
    private final String what;

    CliEnum(Class<E> type, String what) {
        this.type = type;
        this.what = what;
    }

    @Override
    public E convert(String word) {
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.toString().equals(word)) {
                return e;
            }
            names.add(e.toString());
        }
        throw new TypeConversionException("unknown " + what + " '" + word + "' (" + String.join(", ", names) + ")");
    }
}
