package io.kmemlab.malloc.freelist;

import java.util.Locale;

/**
 * How a free-list allocator keeps its list, with OSTEP's {@code -l} names: by address, by size
 * ascending or descending, or in the order blocks were freed (each put at the front or the back).
 * A block put into a size-ordered list goes after the blocks of its own size, as malloc.py's
 * append-then-stable-sort puts it.
 */
public enum ListOrder {
    ADDRESS("ADDRSORT", "addr"),
    SIZE_ASCENDING("SIZESORT+", "size-asc"),
    SIZE_DESCENDING("SIZESORT-", "size-desc"),
    INSERT_FRONT("INSERT-FRONT", "front"),
    INSERT_BACK("INSERT-BACK", "back");

    private final String ostepName;
    private final String optionName;

    ListOrder(String ostepName, String optionName) {
        this.ostepName = ostepName;
        this.optionName = optionName;
    }

    /** malloc.py's {@code -l} value: {@code SIZESORT+}. */
    public String ostepName() {
        return ostepName;
    }

    /** The allocator option's value: {@code size-asc}. */
    public String optionName() {
        return optionName;
    }

    public boolean sortedBySize() {
        return this == SIZE_ASCENDING || this == SIZE_DESCENDING;
    }

    /** {@code ADDRSORT}, {@code addr}, {@code address}, … (any case); null if none. */
    public static ListOrder parse(String text) {
        for (ListOrder o : values()) {
            if (text.equalsIgnoreCase(o.ostepName)
                    || text.equalsIgnoreCase(o.optionName)
                    || text.equalsIgnoreCase(o.name())
                    || text.equalsIgnoreCase(o.name().replace('_', '-'))) {
                return o;
            }
        }
        return text.toLowerCase(Locale.ROOT).equals("address") ? ADDRESS : null;
    }

    /**
     * Whether a new block ({@code addr}, {@code size}) goes before the list element ({@code eAddr},
     * {@code eSize}) when the list is walked from its head (INSERT_FRONT and INSERT_BACK never walk).
     */
    boolean goesBefore(long addr, long size, long eAddr, long eSize) {
        return switch (this) {
            case ADDRESS -> addr < eAddr;
            case SIZE_ASCENDING -> size < eSize;
            case SIZE_DESCENDING -> size > eSize;
            case INSERT_FRONT -> true;
            case INSERT_BACK -> false;
        };
    }
}
