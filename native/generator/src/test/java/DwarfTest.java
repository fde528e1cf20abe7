import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** readelf's dump as the DWARF reader takes it, on forms the real headers do not show (written as readelf prints them). */
class DwarfTest {
    private static final String HEAD = " <0><b>: Abbrev Number: 1 (DW_TAG_compile_unit)\n    <c>   DW_AT_producer    : (indirect string, offset: 0x0): GNU C17\n";

    private static String variable(String offset, String name, String type) {
        return " <1><" + offset + ">: Abbrev Number: 9 (DW_TAG_variable)\n    <6e>   DW_AT_name        : " + name + "\n    <73>   DW_AT_type        : " + type + "\n";
    }

    @Test
    void lengthsFromCountHexAndUpperBound() {
        Dwarf d = new Dwarf(HEAD
                + " <1><20>: Abbrev Number: 5 (DW_TAG_array_type)\n    <43>   DW_AT_type        : <0x30>\n"
                + " <2><24>: Abbrev Number: 6 (DW_TAG_subrange_type)\n    <50>   DW_AT_count       : 0x10\n"
                + " <2><27>: Abbrev Number: 6 (DW_TAG_subrange_type)\n    <50>   DW_AT_upper_bound : 4\n"
                + " <2><29>: Abbrev Number: 0\n"
                + " <1><30>: Abbrev Number: 7 (DW_TAG_base_type)\n    <59>   DW_AT_byte_size   : 2\n    <5a>   DW_AT_encoding    : 7\t(unsigned)\n"
                + "    <5b>   DW_AT_name        : (indirect string, offset: 0xd): short unsigned int\n"
                + " <1><38>: Abbrev Number: 5 (DW_TAG_array_type)\n    <43>   DW_AT_type        : <0x30>\n"
                + " <1><40>: Abbrev Number: 2 (DW_TAG_base_type)\n    <59>   DW_AT_byte_size   : 1\n    <5a>   DW_AT_encoding    : 2\t(boolean)\n    <5b>   DW_AT_name        : _Bool\n"
                + " <1><48>: Abbrev Number: 5 (DW_TAG_array_type)\n    <43>   DW_AT_type        : <0x30>\n"
                + " <2><4c>: Abbrev Number: 8 (DW_TAG_subrange_type)\n    <4d>   DW_AT_type        : <0x40>\n"
                + variable("50", "a", "<0x20>") + variable("60", "flex", "<0x38>") + variable("70", "b", "<0x40>")
                + variable("78", "unbounded", "<0x48>")
                + " <1><80>: Abbrev Number: 9 (DW_TAG_variable)\n    <6e>   DW_AT_name        : untyped\n");
        CType a = d.typeOfVariable("a");
        assertEquals("short unsigned int a[16][5]", a.spell("a"));
        assertEquals(160, a.byteSize());
        assertTrue(a.target.target.unsigned);
        CType flex = d.typeOfVariable("flex");
        assertTrue(flex.isFlexibleArray());
        assertEquals(0, flex.count);
        // gcc's int v[]: a range with neither DW_AT_count nor DW_AT_upper_bound
        CType unbounded = d.typeOfVariable("unbounded");
        assertEquals(0, unbounded.count);
        assertTrue(unbounded.isFlexibleArray());
        assertTrue(d.typeOfVariable("b").unsigned);
        assertNull(d.typeOfVariable("untyped"));
    }

    private static String record(String offset, String tag, String line, String... members) {
        StringBuilder s = new StringBuilder(" <1><" + offset + ">: Abbrev Number: 3 (" + tag + ")\n    <31>   DW_AT_byte_size   : 8\n"
                + "    <32>   DW_AT_decl_file   : 1\n    <33>   DW_AT_decl_line   : " + line + "\n    <34>   DW_AT_decl_column : 7\n");
        for (String m : members) s.append(" <2><").append(m).append(">: Abbrev Number: 4 (DW_TAG_member)\n    <3c>   DW_AT_name        : m")
                .append(m).append("\n    <40>   DW_AT_type        : <0x90>\n    <44>   DW_AT_data_member_location: 4\n");
        return s.append(members.length > 0 ? " <2><" + offset + "f>: Abbrev Number: 0\n" : "").toString();
    }

    /** gcc's second DIE for a type variant (same tag and place, no members) reads as its twin with members. */
    @Test
    void aMemberlessVariantHasItsTwinsMembers() {
        String base = " <1><90>: Abbrev Number: 2 (DW_TAG_base_type)\n    <59>   DW_AT_byte_size   : 4\n    <5b>   DW_AT_name        : int\n";
        Dwarf d = new Dwarf(HEAD + base
                + record("a0", "DW_TAG_structure_type", "10", "a4") + record("b0", "DW_TAG_structure_type", "10")
                + record("c0", "DW_TAG_union_type", "20", "c4") + record("d0", "DW_TAG_union_type", "20")
                + record("e0", "DW_TAG_union_type", "10")
                + variable("f0", "s", "<0xb0>") + variable("f8", "u", "<0xd0>") + variable("fc", "other", "<0xe0>"));
        CType s = d.typeOfVariable("s");
        assertEquals(CType.Kind.STRUCT, s.kind);
        assertEquals("[Member[name=ma4, type=" + s.members.get(0).type() + ", offset=4, bitSize=0]]", s.members.toString());
        assertEquals("int", s.members.get(0).type().name);
        CType u = d.typeOfVariable("u");
        assertEquals(CType.Kind.UNION, u.kind);
        assertEquals(List.of("mc4"), u.members.stream().map(CType.Member::name).toList());
        // A union declared where a struct is: not the struct's variant.
        assertEquals(List.of(), d.typeOfVariable("other").members);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertEquals("DWARF has no variable nope",
                assertThrows(IllegalStateException.class, () -> new Dwarf(HEAD).typeOfVariable("nope")).getMessage());
        assertEquals("bad type reference 0x20",
                assertThrows(IllegalStateException.class, () -> new Dwarf(HEAD + variable("50", "v", "0x20")).typeOfVariable("v")).getMessage());
        assertEquals("unexpected DWARF type DW_TAG_ptr_to_member_type",
                assertThrows(IllegalStateException.class, () -> new Dwarf(HEAD + " <1><20>: Abbrev Number: 5 (DW_TAG_ptr_to_member_type)\n"
                        + variable("50", "v", "<0x20>")).typeOfVariable("v")).getMessage());
        assertEquals("not a number: DW_AT_byte_size = many",
                assertThrows(IllegalStateException.class, () -> new Dwarf(HEAD + " <1><20>: Abbrev Number: 2 (DW_TAG_base_type)\n"
                        + "    <59>   DW_AT_byte_size   : many\n" + variable("50", "v", "<0x20>")).typeOfVariable("v")).getMessage());
    }
}
