package io.github.mlpzoo.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The cheap form of {@code ./mvnw javadoc:javadoc}: javac's doclint over the main sources of the library modules
 * (those on this module's class path) must report no error, which is what fails the javadoc goal, and no public or
 * protected type without a javadoc comment.
 */
class ApiDocTest {

    private static final List<String> MODULES =
            List.of("zoo-core", "zoo-vision", "zoo-tabular", "zoo-timeseries", "zoo-ctr", "benchmarks");

    /** A type declaration on a source line (not a method, constructor or field). */
    private static final Pattern TYPE = Pattern.compile("\\b(class|interface|enum|record)\\s+\\w+");

    @Test
    void doclintPassesAndEveryPublicTypeHasJavadoc(@TempDir Path out) throws IOException {
        Path root = Path.of(System.getProperty("zoo.testdata", "src-test-data")).toAbsolutePath().getParent();
        List<Path> sources = new ArrayList<>();
        for (String m : MODULES) {
            Path dir = root.resolve(m).resolve("src/main/java");
            assertTrue(Files.isDirectory(dir), "missing source folder " + dir);
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-proc:none", "-Xdoclint:all/protected", "-Xmaxwarns", "100000",
                "-Xmaxerrs", "1000", "-encoding", "UTF-8", "-classpath", System.getProperty("java.class.path"),
                "-d", out.toString());
        boolean compiled;
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            compiled = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
        }
        List<String> errors = new ArrayList<>();
        List<String> undocumented = new ArrayList<>();
        Map<String, List<String>> lines = new HashMap<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String where = d.getSource() == null ? "" : root.relativize(Path.of(d.getSource().toUri())) + ":"
                    + d.getLineNumber() + ": ";
            String msg = d.getMessage(Locale.ROOT);
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(where + msg);
            } else if (msg.contains("no comment") && d.getSource() != null) {
                List<String> text = lines.computeIfAbsent(d.getSource().toUri().toString(),
                        u -> readLines(Path.of(d.getSource().toUri())));
                String line = text.get((int) d.getLineNumber() - 1);
                Matcher m = TYPE.matcher(line);
                if (m.find() && m.start(1) == d.getColumnNumber() - 1) { // at the type keyword, not at a member
                    undocumented.add(where + line.strip());
                }
            }
        }
        assertTrue(errors.isEmpty() && compiled, "doclint errors (./mvnw javadoc:javadoc fails on these):\n"
                + String.join("\n", errors));
        assertTrue(undocumented.isEmpty(), "public types without javadoc:\n" + String.join("\n", undocumented));
        assertTrue(sources.size() > 100, "only " + sources.size() + " sources found under " + root);
    }

    private static List<String> readLines(Path p) {
        try {
            return Files.readAllLines(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + p, e);
        }
    }
}
