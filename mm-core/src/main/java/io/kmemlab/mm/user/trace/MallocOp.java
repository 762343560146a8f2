package io.kmemlab.mm.user.trace;

/**
 * The operations of a user-space allocation trace. The letters are the CS:APP malloc lab's
 * ({@code a}, {@code r}, {@code f}) plus kmemlab's own {@code c} (calloc) and {@code m} (memalign),
 * which the answer files and {@code --ops} print as {@code a}.
 */
public enum MallocOp {
    MALLOC('a'),
    CALLOC('c'),
    MEMALIGN('m'),
    REALLOC('r'),
    FREE('f');

    static final MallocOp[] VALUES = values();

    private final char letter;

    MallocOp(char letter) {
        this.letter = letter;
    }

    /** The letter in kmemlab's recording. */
    public char letter() {
        return letter;
    }

    /** The letter in the answer files and {@code --ops}: {@code a} for every allocation, {@code r}. */
    public char answerLetter() {
        return this == REALLOC ? 'r' : 'a';
    }

    /** Does this operation return a block? */
    public boolean allocates() {
        return this != FREE;
    }
}
