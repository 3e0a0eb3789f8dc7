package io.github.mlpzoo.notebooks;

import org.junit.jupiter.api.Test;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's domain examples compile against the library as built: every fenced {@code java} block right after
 * a {@code <!-- compiled: NAME -->} line. Its {@code import} lines become the imports and the rest the body of a
 * {@code static void example() throws Exception} method of class {@code NAME}.
 */
class ReadmeExamplesTest {

    private static final String MARK = "<!-- compiled: ";
    /** The README promises examples of about ten lines. */
    private static final int MAX_BODY_LINES = 12;

    record Example(String name, List<String> imports, List<String> body) {
        String source() {
            return String.join("\n", imports) + "\n\npublic class " + name + " {\n"
                    + "    static void example() throws Exception {\n        "
                    + String.join("\n        ", body) + "\n    }\n}\n";
        }
    }

    static List<Example> examples(List<String> readme) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i).strip();
            if (!line.startsWith(MARK)) {
                continue;
            }
            String name = line.substring(MARK.length(), line.indexOf("-->")).strip();
            assertEquals("```java", readme.get(i + 1).strip(), "README line " + (i + 2) + ": " + MARK + name
                    + " --> must be followed by a ```java fence");
            List<String> imports = new ArrayList<>();
            List<String> body = new ArrayList<>();
            int j = i + 2;
            for (; j < readme.size() && !readme.get(j).strip().equals("```"); j++) {
                String l = readme.get(j);
                (l.startsWith("import ") ? imports : body).add(l);
            }
            assertTrue(j < readme.size(), "README: the example " + name + " has no closing fence");
            out.add(new Example(name, imports, body));
        }
        return out;
    }

    @Test
    void everyDomainExampleCompiles() throws IOException {
        Path readme = Path.of(System.getProperty("notebooks.dir", "."), "..", "README.md").normalize();
        List<Example> examples = examples(Files.readAllLines(readme));
        List<String> names = examples.stream().map(Example::name).toList();
        for (String domain : List.of("Tabular", "Vision", "TimeSeries", "Ctr", "ImportWeights")) {
            assertTrue(names.contains(domain + "Example"), readme + " has no compiled example " + domain
                    + "Example; found " + names);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Path out = Files.createTempDirectory("readme-examples");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<JavaFileObject> sources = new ArrayList<>();
        for (Example e : examples) {
            long lines = e.body().stream().filter(l -> !l.isBlank()).count();
            assertTrue(lines <= MAX_BODY_LINES, e.name() + " has " + lines + " lines of code; keep it <= "
                    + MAX_BODY_LINES);
            sources.add(new SimpleJavaFileObject(URI.create("string:///" + e.name() + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return e.source();
                }
            });
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics,
                    List.of("-classpath", classPath, "-d", out.toString(), "-proc:none"), null, sources).call();
            String report = diagnostics.getDiagnostics().stream()
                    .map(d -> d.getSource().getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                    .collect(Collectors.joining("\n"));
            assertTrue(ok, "README examples do not compile:\n" + report + "\n\n"
                    + examples.stream().map(Example::source).collect(Collectors.joining("\n")));
        }
    }

    /** The extraction itself: a marked block becomes a class, unmarked blocks are ignored. */
    @Test
    void extractsOnlyMarkedBlocks() {
        List<Example> ex = examples(List.of("```java", "ignored();", "```", "<!-- compiled: A -->", "```java",
                "import java.util.List;", "List<String> s = List.of();", "```"));
        assertEquals(1, ex.size());
        assertEquals(List.of("import java.util.List;"), ex.get(0).imports());
        assertTrue(ex.get(0).source().contains("public class A {"));
    }
}
