package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The divide-free multipleOf test that validPointer uses agrees with {@code %} on its domain. */
class DivisibilityPropertiesTest {

    @Property
    void multipleOf_agreesWithRemainder(
            @ForAll @IntRange(min = 1, max = 1 << 22) int d, @ForAll @LongRange(min = 0, max = 0xffffffffL) long n) {
        long magic = SlubCache.divisibilityMagic(d);
        long bound = SlubCache.divisibilityBound(magic);
        assertThat(SlubCache.multipleOf(n, magic, bound)).isEqualTo(n % d == 0);
        long multiple = (n / d) * d;
        assertThat(SlubCache.multipleOf(multiple, magic, bound)).isTrue();
        if (d > 1 && multiple + 1 <= 0xffffffffL) {
            assertThat(SlubCache.multipleOf(multiple + 1, magic, bound)).isFalse();
        }
    }

    @Example
    void multipleOf_slotSizesAtSlabEnds() {
        for (int d : new int[] {1, 8, 24, 64, 96, 192, 704, 4096, 4160, 32768}) {
            long magic = SlubCache.divisibilityMagic(d);
            long bound = SlubCache.divisibilityBound(magic);
            long wrong = 0;
            for (long n = 0; n < 40L * d; n++) {
                if (SlubCache.multipleOf(n, magic, bound) != (n % d == 0)) {
                    wrong++;
                }
            }
            assertThat(wrong).as("mismatches for d=%d", d).isZero();
        }
    }

    /** objectOffset's one sign test agrees with the four bounds it replaces, in range or not. */
    @Property
    void objectOffset_agreesWithRangeAndRemainder(
            @ForAll @IntRange(min = 8, max = 1 << 16) int d,
            @ForAll @IntRange(min = 0, max = 1024) int objects,
            @ForAll @LongRange(min = -(1L << 40), max = 1L << 40) long rel) {
        long magic = SlubCache.divisibilityMagic(d);
        long bound = SlubCache.divisibilityBound(magic);
        long span = (long) objects * d;
        boolean expected = rel >= 0 && rel < span && rel % d == 0;
        assertThat(SlubCache.objectOffset(rel, span, magic, bound)).isEqualTo(expected);
        if (objects > 0) {
            long last = span - d;
            assertThat(SlubCache.objectOffset(last, span, magic, bound)).isTrue();
            assertThat(SlubCache.objectOffset(span, span, magic, bound)).isFalse();
            assertThat(SlubCache.objectOffset(-d, span, magic, bound)).isFalse();
            assertThat(SlubCache.objectOffset(last + 1, span, magic, bound)).isFalse();
        }
    }
}
