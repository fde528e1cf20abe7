package io.github.panamasockets.api;

import java.util.Base64;

/**
 * The child side of {@link Posix#fork(ForkBlock)}: the main class of the JVM that fork starts.
 * Not for calling directly: its arguments are the serialized block, in pieces that fit execve's
 * limit on one argument. Exit status: the block's ({@code exit(n)}), 0 when it returns, 1 when
 * it throws, 127 when the block cannot be read back (as a shell when it cannot run a command).
 */
public final class ForkChild {
    private ForkChild() {}

    public static void main(String[] args) {
        ForkBlock block;
        try {
            StringBuilder text = new StringBuilder();
            for (String piece : args) text.append(piece);
            block = Fork.deserialize(Base64.getDecoder().decode(text.toString()));
        } catch (Exception | LinkageError e) {
            System.err.println("fork: the child could not read its block back: " + e);
            System.exit(127);
            return;
        }
        TraceTasks.forkedChild = true; // its parent is traced too: its lines carry "[pid N]" as strace -f's would
        int status = 0;
        try {
            block.run();
        } catch (Throwable t) {
            System.err.print("Exception in forked child ");
            t.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }
}
