/**
 * kmemlab's script language, shared by {@code kmemlab run} and {@code kmemlab shell}.
 *
 * <p>Syntax ({@link io.kmemlab.boot.shell.ScriptParser}): newlines and {@code ;} separate
 * commands; {@code #} at the start of a word comments out the rest of the line; quotes group
 * words; {@code $name = COMMAND …} binds the address a command returns and prints
 * {@code $name = 0x…}; {@code $name}, {@code $name+OFFSET} and {@code $name-OFFSET} are accepted
 * wherever an address is.
 *
 * <p>Semantics ({@link io.kmemlab.boot.shell.Shell}): each command runs on the current emulated
 * CPU and advances the virtual clock by 1 µs; the reports it causes (dmesg lines at KERN_WARNING
 * or worse) are printed after it, then its result (an address, a number alone on a line in
 * decimal, or text). A failing command prints {@code kmemlab: line N: NAME: message}.
 *
 * <p>Commands are {@link io.kmemlab.boot.shell.ShellCommand}s registered by name; add one with
 * {@link io.kmemlab.boot.shell.Shell#register}.
 */
package io.kmemlab.boot.shell;
