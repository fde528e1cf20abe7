import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Everything the generator learns from the C compiler: macros, constant values, types, prototypes. */
final class Cc {
    /** An integer constant, as the compiler evaluated it: its C type and its bits. */
    record Constant(String name, String cType, long bits) {
        boolean isLong() { return cType.contains("long"); }
    }

    /** What a command printed (stdout and stderr together) and its exit status. */
    record Result(int status, String output) {}

    /**
     * Runs the compiler, readelf and the probes, in the work directory. Processes by default; the
     * generator's tests run every command once and replay it for the next run (native/generator/src/test).
     */
    interface Runner {
        Result exec(List<String> command, String input, Path work) throws IOException;

        Runner PROCESSES = (command, input, work) -> {
            Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                return new Result(p.waitFor(), out);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        };
    }

    private final Target target;
    private final String cc;
    private final Path header;
    private final Path work;
    private final Runner runner;

    Cc(Target target, Path header, Path work, Runner runner) {
        this.target = target;
        this.cc = target.cc();
        this.header = header.toAbsolutePath();
        this.work = work;
        this.runner = runner;
    }

    /** The names of the object-like macros that including {@code include} defines. */
    Map<String, String> macros(String include) throws IOException {
        String out = run(List.of(cc, "-E", "-dM", "-x", "c", "-"), "#include " + include + "\n");
        Map<String, String> macros = new LinkedHashMap<>();
        Pattern p = Pattern.compile("^#define ([A-Za-z_][A-Za-z0-9_]*)(?: (.*))?$");
        for (String line : out.split("\n")) {
            Matcher m = p.matcher(line);
            if (m.matches()) macros.put(m.group(1), m.group(2) == null ? "" : m.group(2));
        }
        return macros;
    }

    String includeOfHeader() { return "\"" + header + "\""; }

    /** "linux-x86_64": the target the compiler builds for, in the project's spelling. */
    String platformId() throws IOException {
        String triple = run(List.of(cc, "-dumpmachine"), "").trim();   // x86_64-linux-gnu
        String[] parts = triple.split("-");
        String os = triple.contains("linux") ? "linux" : triple.contains("darwin") ? "macos" : parts[parts.length - 1];
        return os + "-" + parts[0];
    }

    /**
     * The value and C type of each name, by compiling a program that prints them. A name whose
     * expansion is not an integer constant expression (SIG_DFL, SIGRTMIN, a string) fails to
     * compile; it is dropped and the program compiled again, as mkerrors.sh does.
     */
    Map<String, Constant> evaluate(List<String> names) throws IOException {
        List<String> remaining = new ArrayList<>(names);
        for (int attempt = 0; attempt < 8; attempt++) {
            StringBuilder c = new StringBuilder();
            c.append("#include ").append(includeOfHeader()).append("\n#include <stdio.h>\n");
            c.append("#define KIND(x) _Generic((x), int: \"int\", unsigned int: \"unsigned int\", long: \"long\", "
                    + "unsigned long: \"unsigned long\", long long: \"long long\", unsigned long long: \"unsigned long long\", default: \"other\")\n");
            c.append("static const struct { const char *name, *kind; unsigned long long bits; } constants[] = {\n");
            int firstLine = (int) c.chars().filter(ch -> ch == '\n').count() + 1;
            for (String n : remaining) {
                c.append("{\"").append(n).append("\", KIND(").append(n).append("), (unsigned long long)(").append(n).append(")},\n");
            }
            c.append("};\nint main(void) {\n  for (unsigned i = 0; i < sizeof constants / sizeof constants[0]; i++)\n")
             .append("    printf(\"%s %s %llu\\n\", constants[i].name, constants[i].kind, constants[i].bits);\n  return 0;\n}\n");
            Path src = work.resolve("constants.c");
            Files.writeString(src, c);
            Result r = exec(List.of(cc, "-w", "-o", work.resolve("constants").toString(), src.toString()), "");
            if (r.status == 0) {
                Map<String, Constant> values = new LinkedHashMap<>();
                for (String line : run(target.run(work.resolve("constants").toString()), "").split("\n")) {
                    Matcher m = Pattern.compile("^(\\S+) (.+) (\\d+)$").matcher(line);
                    if (!m.matches()) continue;
                    if (m.group(2).equals("other")) continue;
                    values.put(m.group(1), new Constant(m.group(1), m.group(2), Long.parseUnsignedLong(m.group(3))));
                }
                return values;
            }
            Set<Integer> bad = new HashSet<>();
            Matcher m = Pattern.compile(Pattern.quote(src.toString()) + ":(\\d+):").matcher(r.output);
            while (m.find()) {
                int i = Integer.parseInt(m.group(1)) - firstLine;   // "In file included from constants.c:1" names no constant
                if (i >= 0 && i < remaining.size()) bad.add(i);
            }
            if (bad.isEmpty()) throw new IOException("constant probe failed:\n" + r.output);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < remaining.size(); i++) if (!bad.contains(i)) kept.add(remaining.get(i));
            remaining = kept;
        }
        throw new IOException("constant probe did not converge");
    }

    /**
     * Compiles a probe that declares one variable per bound item, then reads the items' types
     * back from the DWARF the compiler wrote.
     */
    Dwarf dwarf(List<String> declarations) throws IOException {
        Path src = work.resolve("types.c");
        Files.writeString(src, "#include " + includeOfHeader() + "\n" + String.join("\n", declarations) + "\n");
        Path obj = work.resolve("types.o");
        run(List.of(cc, "-g", "-gdwarf-4", "-fno-eliminate-unused-debug-types", "-c", "-o", obj.toString(), src.toString(),
                "-aux-info", work.resolve("prototypes.txt").toString()), "");
        return new Dwarf(run(List.of(target.readelf(), "--debug-dump=info", obj.toString()), ""));
    }

    /** Compiles and runs a small C program that includes the header; returns what it prints. */
    String runProgram(String name, String body) throws IOException {
        Path src = work.resolve(name + ".c");
        Files.writeString(src, "#include " + includeOfHeader() + "\n#include <stdio.h>\n#include <locale.h>\n" + body);
        run(List.of(cc, "-o", work.resolve(name).toString(), src.toString()), "");
        return run(target.run(work.resolve(name).toString()), "");
    }

    /**
     * True when a parameter of this union type takes a plain pointer: the union is
     * __attribute__((transparent_union)), so the ABI passes it as its first member, a pointer.
     */
    boolean isTransparentPointerUnion(String spelling) throws IOException {
        Path src = work.resolve("transparent.c");
        Files.writeString(src, "#include " + includeOfHeader() + "\nvoid psock_take(" + spelling
                + ");\nvoid psock_try(void *p) { psock_take(p); }\n");
        return exec(List.of(cc, "-fsyntax-only", "-Werror", src.toString()), "").status == 0;
    }

    /** sizeof and _Alignof of each C type spelling, from the compiler. */
    Map<String, long[]> sizesAndAlignments(List<String> spellings) throws IOException {
        StringBuilder c = new StringBuilder("#include " + includeOfHeader() + "\n#include <stdio.h>\nint main(void) {\n");
        for (String s : spellings) {
            c.append("  printf(\"%zu %zu ").append(s).append("\\n\", sizeof(").append(s).append("), _Alignof(").append(s).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path src = work.resolve("sizes.c");
        Files.writeString(src, c);
        run(List.of(cc, "-o", work.resolve("sizes").toString(), src.toString()), "");
        Map<String, long[]> out = new HashMap<>();
        for (String line : run(target.run(work.resolve("sizes").toString()), "").split("\n")) {
            String[] p = line.split(" ", 3);
            out.put(p[2], new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])});
        }
        return out;
    }

    /**
     * The parameter names the header gives each function: the compiler's -aux-info says where
     * each prototype is declared, and the declaration there is read up to its closing ';'.
     */
    Map<String, List<String>> parameterNames(Set<String> functions) throws IOException {
        Map<String, List<String>> names = new HashMap<>();
        Pattern where = Pattern.compile("^/\\* (\\S+):(\\d+):\\w+ \\*/ .*?\\b(\\w+) \\(");
        for (String line : Files.readAllLines(work.resolve("prototypes.txt"))) {
            Matcher m = where.matcher(line);
            if (!m.find() || !functions.contains(m.group(3)) || names.containsKey(m.group(3))) continue;
            List<String> lines = Files.readAllLines(Path.of(m.group(1)), StandardCharsets.ISO_8859_1);
            StringBuilder decl = new StringBuilder();
            for (int i = Integer.parseInt(m.group(2)) - 1; i < lines.size(); i++) {
                decl.append(lines.get(i)).append(' ');
                if (lines.get(i).contains(";")) break;
            }
            names.put(m.group(3), paramNames(decl.toString(), m.group(3)));
        }
        return names;
    }

    private static List<String> paramNames(String decl, String function) {
        Matcher m = Pattern.compile("\\b" + function + "\\s*\\(").matcher(decl);
        List<String> names = new ArrayList<>();
        if (!m.find()) return names;
        int depth = 1, start = m.end();
        List<String> params = new ArrayList<>();
        for (int i = start; i < decl.length() && depth > 0; i++) {
            char ch = decl.charAt(i);
            if (ch == '(' || ch == '[') depth++;
            if (ch == ')' || ch == ']') depth--;
            if ((ch == ',' && depth == 1) || depth == 0) { params.add(decl.substring(start, i)); start = i + 1; }
        }
        for (String p : params) {
            String s = p.replaceAll("\\[[^\\]]*\\]", "").trim();
            // A function pointer names itself inside its first parentheses: void (*__func) (void).
            // One without a name there, void (*) (void), has none: its last word is a type.
            Matcher fp = Pattern.compile("\\(\\s*\\*\\s*(\\w*)\\s*\\)").matcher(s);
            if (fp.find()) { names.add(fp.group(1).isEmpty() ? null : fp.group(1)); continue; }
            String[] words = s.split("[^A-Za-z0-9_]+");
            String last = words.length > 0 ? words[words.length - 1] : "";
            // A lone type ("void", "int") names nothing; a name is the last word after a type.
            names.add(words.length > 1 && !last.isEmpty() && !last.equals("restrict") && !last.equals("__restrict") ? last : null);
        }
        return names;
    }

    String run(List<String> command, String input) throws IOException {
        Result r = exec(command, input);
        if (r.status != 0) throw new IOException(String.join(" ", command) + " failed:\n" + r.output);
        return r.output;
    }

    private Result exec(List<String> command, String input) throws IOException {
        return runner.exec(command, input, work);
    }
}
