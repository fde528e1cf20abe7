import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads C types out of the DWARF debug information that the compiler wrote for a probe object
 * (readelf --debug-dump=info): sizes, member offsets and types are the compiler's own.
 */
final class Dwarf {
    private record Die(long offset, String tag, Map<String, String> attrs, List<Die> children) {}

    private static final Pattern DIE = Pattern.compile("^\\s*<(\\d+)><([0-9a-f]+)>: Abbrev Number: (\\d+)(?: \\((DW_TAG_\\w+)\\))?");
    private static final Pattern ATTR = Pattern.compile("^\\s*<[0-9a-f]+>\\s+(DW_AT_\\w+)\\s*:\\s*(.*)$");
    private static final Pattern REF = Pattern.compile("<0x([0-9a-f]+)>");

    private final Map<Long, Die> dies = new HashMap<>();
    private final Map<String, Die> variables = new HashMap<>();
    private final Map<Long, CType> types = new HashMap<>();
    /** Struct/union DIEs with members, by tag and place of declaration (see {@link #withMembers}). */
    private final Map<String, Die> recordsWithMembers = new HashMap<>();

    Dwarf(String readelfOutput) {
        List<Die> stack = new ArrayList<>();
        Die current = null;
        for (String line : readelfOutput.split("\n")) {
            Matcher d = DIE.matcher(line);
            if (d.find()) {
                int depth = Integer.parseInt(d.group(1));
                current = null;
                if (d.group(4) == null) continue; // "Abbrev Number: 0" closes a list of children
                Die die = new Die(Long.parseLong(d.group(2), 16), d.group(4), new HashMap<>(), new ArrayList<>());
                dies.put(die.offset, die);
                while (stack.size() > depth) stack.remove(stack.size() - 1);
                if (depth > 0 && stack.size() == depth) stack.get(depth - 1).children.add(die);
                while (stack.size() < depth) stack.add(null);
                stack.add(die);
                current = die;
                continue;
            }
            Matcher a = ATTR.matcher(line);
            if (a.find() && current != null) current.attrs.put(a.group(1), a.group(2).trim());
        }
        for (Die die : dies.values()) {
            if (die.tag.equals("DW_TAG_variable") && die.attrs.containsKey("DW_AT_name")) {
                variables.put(name(die), die);
            }
            if (isRecord(die) && !die.children.isEmpty()) recordsWithMembers.putIfAbsent(place(die), die);
        }
    }

    /** The type of the probe's global variable {@code variable}. */
    CType typeOfVariable(String variable) {
        Die v = variables.get(variable);
        if (v == null) throw new IllegalStateException("DWARF has no variable " + variable);
        return type(v);
    }

    private CType type(Die owner) {
        String ref = owner.attrs.get("DW_AT_type");
        if (ref == null) return null;
        Matcher m = REF.matcher(ref);
        if (!m.find()) throw new IllegalStateException("bad type reference " + ref);
        return convert(dies.get(Long.parseLong(m.group(1), 16)));
    }

    private CType convert(Die die) {
        CType known = types.get(die.offset);
        if (known != null) return known;
        CType t = new CType(switch (die.tag) {
            case "DW_TAG_base_type" -> CType.Kind.BASE;
            case "DW_TAG_pointer_type" -> CType.Kind.POINTER;
            case "DW_TAG_array_type" -> CType.Kind.ARRAY;
            case "DW_TAG_structure_type" -> CType.Kind.STRUCT;
            case "DW_TAG_union_type" -> CType.Kind.UNION;
            case "DW_TAG_typedef" -> CType.Kind.TYPEDEF;
            case "DW_TAG_const_type" -> CType.Kind.CONST;
            case "DW_TAG_volatile_type" -> CType.Kind.VOLATILE;
            case "DW_TAG_restrict_type" -> CType.Kind.RESTRICT;
            case "DW_TAG_subroutine_type" -> CType.Kind.FUNCTION;
            case "DW_TAG_enumeration_type" -> CType.Kind.ENUM;
            default -> throw new IllegalStateException("unexpected DWARF type " + die.tag);
        });
        types.put(die.offset, t); // before recursing: struct addrinfo points to itself
        t.name = die.attrs.containsKey("DW_AT_name") ? name(die) : null;
        t.size = number(die, "DW_AT_byte_size", 0);
        String encoding = die.attrs.getOrDefault("DW_AT_encoding", "");
        t.unsigned = encoding.contains("(unsigned") || encoding.contains("(boolean");
        t.floating = encoding.contains("(float");
        t.target = type(die);
        switch (t.kind) {
            case ARRAY -> {
                // int cells[2][3] is one DIE with a range per dimension: an array of arrays here.
                List<Long> counts = new ArrayList<>();
                for (Die range : die.children) if (range.tag.equals("DW_TAG_subrange_type")) counts.add(count(range));
                if (counts.isEmpty()) counts.add(0L);
                for (int i = counts.size() - 1; i > 0; i--) {
                    CType inner = new CType(CType.Kind.ARRAY);
                    inner.count = counts.get(i);
                    inner.target = t.target;
                    t.target = inner;
                }
                t.count = counts.get(0);
            }
            case STRUCT, UNION -> {
                t.line = number(die, "DW_AT_decl_line", 0);
                t.column = number(die, "DW_AT_decl_column", 0);
                for (Die c : withMembers(die).children) {
                    if (!c.tag.equals("DW_TAG_member")) continue;
                    t.members.add(new CType.Member(c.attrs.containsKey("DW_AT_name") ? name(c) : null, type(c),
                            number(c, "DW_AT_data_member_location", 0), (int) number(c, "DW_AT_bit_size", 0)));
                }
            }
            case FUNCTION -> {
                for (Die c : die.children) {
                    if (c.tag.equals("DW_TAG_formal_parameter")) t.params.add(type(c));
                    if (c.tag.equals("DW_TAG_unspecified_parameters")) t.variadic = true;
                }
            }
            default -> { }
        }
        return t;
    }

    /** A dimension's length: DW_AT_count, or DW_AT_upper_bound + 1; 0 when it has neither (int v[]). */
    private static long count(Die range) {
        if (range.attrs.containsKey("DW_AT_count")) return number(range, "DW_AT_count", 0);
        return number(range, "DW_AT_upper_bound", -1) + 1;   // neither: -1 + 1
    }

    private static boolean isRecord(Die die) {
        return die.tag.equals("DW_TAG_structure_type") || die.tag.equals("DW_TAG_union_type");
    }

    private static String place(Die die) {
        return die.tag + " " + die.attrs.get("DW_AT_decl_file") + ":" + die.attrs.get("DW_AT_decl_line") + ":" + die.attrs.get("DW_AT_decl_column");
    }

    /**
     * gcc writes a type variant (glibc's transparent_union __SOCKADDR_ARG, for one) as a second
     * DIE of the same size and place with no members; its members are those of its twin.
     */
    private Die withMembers(Die die) {
        if (!die.children.isEmpty() || die.attrs.containsKey("DW_AT_declaration") || !die.attrs.containsKey("DW_AT_decl_line")) return die;
        return recordsWithMembers.getOrDefault(place(die), die);
    }

    /** readelf prints names inline ("sin_port") or via the string table ("(strp) (offset: 0x1a): sin_port"). */
    private static String name(Die die) {
        String v = die.attrs.get("DW_AT_name");
        int i = v.lastIndexOf("): ");
        return i >= 0 ? v.substring(i + 3).trim() : v;
    }

    private static long number(Die die, String attr, long fallback) {
        String v = die.attrs.get(attr);
        if (v == null) return fallback;
        Matcher m = Pattern.compile("^(0x[0-9a-f]+|-?\\d+)").matcher(v);
        if (!m.find()) throw new IllegalStateException("not a number: " + attr + " = " + v);
        String n = m.group(1);
        return n.startsWith("0x") ? Long.parseLong(n.substring(2), 16) : Long.parseLong(n);
    }
}
