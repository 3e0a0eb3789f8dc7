package io.github.mlpzoo.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/** measured.tsv is strict: the bundled file is valid, and each kind of bad row fails naming its line. */
class MeasuredTest {

    private static final String HEADER = "# comment\nvariant\tdataset\tmetric\tours\tanchor\twall\tcommand\n";
    private static final Set<String> KNOWN = Set.of("mlp", "din");

    @Test
    void bundledFileIsValid() {
        List<Measured> rows = Facts.allMeasured(); // throws, naming the line, if a row is bad
        assertFalse(rows.isEmpty(), "measured.tsv has no rows");
        assertTrue(rows.stream().anyMatch(m -> m.variant().equals("mlp") && m.dataset().equals("california")),
                "the mlp California row is missing: " + rows);
    }

    @Test
    void goodRowsParseInOrder() {
        List<Measured> rows = Measured.parse(HEADER
                + "mlp\tcalifornia\ttest RMSE\t0.51\t0.50\t12 s\t./zoo train mlp --dataset california\n\n"
                + "mlp\tadult\taccuracy\t0.85\t-\t-\t./zoo train mlp --dataset adult\n", KNOWN);
        assertEquals(2, rows.size());
        assertEquals("test RMSE: 0.51 (california)", rows.get(0).brief());
        assertEquals("adult", rows.get(1).dataset());
    }

    private static String error(String row) {
        return assertThrows(IllegalArgumentException.class, () -> Measured.parse(HEADER + row + "\n", KNOWN))
                .getMessage();
    }

    @Test
    void badRowsFailNamingTheLine() {
        String six = error("mlp\tcalifornia\ttest RMSE\t0.51\t0.50\t./zoo train mlp");
        assertTrue(six.startsWith("measured.tsv line 3: expected 7 tab-separated columns"), six);
        assertTrue(six.contains("got 6"), six);
        String spaces = error("mlp    california\ttest RMSE\t0.51\t0.50\t12 s\tcmd");
        assertTrue(spaces.contains("got 6"), spaces);
        String unknown = error("mpl\tcalifornia\ttest RMSE\t0.51\t0.50\t12 s\tcmd");
        assertTrue(unknown.contains("line 3: unknown variant 'mpl'"), unknown);
        String empty = error("mlp\tcalifornia\ttest RMSE\t0.51\t\t12 s\tcmd");
        assertTrue(empty.contains("column 'anchor' is empty"), empty);
        String padded = error("mlp\tcalifornia\ttest RMSE\t0.51 \t-\t12 s\tcmd");
        assertTrue(padded.contains("column 'ours' is '0.51 '"), padded);
        String twice = assertThrows(IllegalArgumentException.class, () -> Measured.parse(HEADER
                + "din\tmovielens\tAUC\t0.72\t-\t-\tcmd\n"
                + "din\tmovielens\tAUC\t0.73\t-\t-\tcmd\n", KNOWN)).getMessage();
        assertTrue(twice.contains("line 4: a second row for variant 'din', dataset 'movielens'"), twice);
        String header = assertThrows(IllegalArgumentException.class,
                () -> Measured.parse("variant\tdataset\tmetric\tours\n", KNOWN)).getMessage();
        assertTrue(header.contains("line 1: expected the header"), header);
    }
}
