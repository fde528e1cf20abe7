import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** native/sockets.jextract: a jextract argument file, one option a line, which says what is bound. */
record JextractArgs(List<String> lines, String header, String headerClass,
                    List<String> functions, List<String> structs, List<String> unions, List<String> typedefs, List<String> vars) {

    static JextractArgs read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String header = null, headerClass = null;
        List<String> functions = new ArrayList<>(), structs = new ArrayList<>(), unions = new ArrayList<>(), typedefs = new ArrayList<>(), vars = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] w = lines.get(i).strip().split("\\s+", 2);
            switch (w[0]) {
                case "--include-function" -> functions.add(w[1]);
                case "--include-struct" -> structs.add(w[1]);
                case "--include-union" -> unions.add(w[1]);
                case "--include-typedef" -> typedefs.add(w[1]);
                case "--include-var" -> vars.add(w[1]);
                case "--header-class-name" -> headerClass = lines.get(++i).strip();
                case "--target-package", "--output", "-t", "-l", "--library" -> i++;
                default -> { if (!w[0].startsWith("-") && !w[0].isEmpty()) header = w[0]; }
            }
        }
        if (header == null || headerClass == null) throw new IOException(file + " names no header or no --header-class-name");
        return new JextractArgs(lines, header, headerClass, functions, structs, unions, typedefs, vars);
    }

    /** The same file with its --include-constant lines replaced by the given names (jextract calls them macros or constants). */
    String withConstants(Collection<String> constants) {
        StringBuilder s = new StringBuilder();
        for (String line : lines) if (!line.startsWith("--include-constant ")) s.append(line).append('\n');
        for (String c : constants) s.append("--include-constant ").append(c).append('\n');
        return s.toString();
    }
}
