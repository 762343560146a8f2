package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** slabtop prints its K figures with C's printf, which rounds the exact binary value, ties to even. */
class SlabtopTest {

    // Expected strings are what glibc's printf (and Python's %-format) print for the same doubles.
    @ParameterizedTest
    @CsvSource({
        "0.125, 2, 0.12", // a 128-byte object: Java's %.2f would print 0.13
        "1912.625, 2, 1912.62",
        "0.375, 2, 0.38",
        "1.005, 2, 1.00", // below the tie in binary: C prints 1.00, Java's HALF_UP on "1.005" 1.01
        "2.675, 2, 2.67",
        "0.1875, 2, 0.19",
        "0.0, 2, 0.00",
        "8.0, 2, 8.00",
        "99.95, 1, 100.0",
        "0.25, 1, 0.2",
    })
    void fixed_roundsAsCPrintf(double value, int digits, String expected) {
        assertThat(Slabtop.fixed(value, digits)).isEqualTo(expected);
    }
}
