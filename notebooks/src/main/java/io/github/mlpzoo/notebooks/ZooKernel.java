package io.github.mlpzoo.notebooks;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.PathsHandler;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A small Jupyter kernel for Java notebooks in the IJava format (kernelspec {@code java}): each cell is evaluated
 * by {@link JShell} in this JVM, on the Jupyter protocol implementation of {@code org.dflib.jjava:jjava-jupyter}.
 *
 * <p>What a cell may contain:
 * <ul>
 *   <li>Java snippets as JShell takes them (declarations, statements, expressions); the value of a cell's last
 *       expression is shown as its result, rendered by type (a {@code java.awt.image.RenderedImage} becomes an
 *       {@code image/png} output, anything else its {@code toString()});</li>
 *   <li>{@code display(obj)} (defined at start, rendering through {@code BaseNotebookStatics}) to show an object,
 *       e.g. a chart as a {@code BufferedImage}, in the middle of a cell; {@code java.util.*} and
 *       {@code java.nio.file.*} are imported;</li>
 *   <li>line magics at the start of a line: {@code %jars GLOB...} and {@code %classpath PATH...} put local jars
 *       (globs relative to the notebook's folder) on the class path of the following snippets. {@code %maven} and
 *       {@code %mavenRepo} are refused: this kernel never downloads anything.</li>
 * </ul>
 * A compile error or an exception thrown by a snippet fails the cell (Jupyter's {@code error} output), and the
 * cell's remaining snippets are not run.
 *
 * <p>Snippets run directly on the kernel's request thread ({@code DirectExecutionControl}), so {@code System.out}
 * and {@code System.err} reach the cell's stream outputs; interrupting a running cell is not supported.
 *
 * <p>Started by Jupyter with the connection file as the only argument; the kernelspec written by the build
 * ({@code notebooks/target/kernelspec/java/kernel.json}) holds the command line.
 */
public final class ZooKernel extends BaseKernel {

    /** The kernelspec name notebooks refer to (IJava's). */
    public static final String KERNEL_NAME = "java";

    // display(obj) returns nothing, so a cell ending in display(...) shows the object only once
    private static final String STARTUP = String.join("\n",
            "import java.util.*;",
            "import java.nio.file.*;",
            "void display(Object o) { org.dflib.jjava.jupyter.kernel.BaseNotebookStatics.display(o); }");

    private final JShell shell;
    private final CapturingExecutionControl.Provider provider;

    private ZooKernel(JupyterIO io, MagicsRegistry magics) {
        super("mlp-zoo-java", version(),
                new LanguageInfo.Builder("Java").version(Runtime.version().toString()).mimetype("text/x-java-source")
                        .fileExtension(".jshell").pygments("java").codemirror("java").build(),
                List.of(), null, io, new CommManager(), new Renderer(),
                new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()), magics, false,
                new StringStyler.Builder().build()); // plain text: saved notebooks stay readable
        this.provider = new CapturingExecutionControl.Provider();
        this.shell = JShell.builder()
                .out(io.out).err(io.err).in(io.in)
                .executionEngine(provider, null)
                .compilerOptions("--release", String.valueOf(Runtime.version().feature()))
                .build();
        // snippets compile against the kernel's own classes (BaseNotebookStatics for display and the magics)
        shell.addToClasspath(System.getProperty("java.class.path"));
        evalRaw(STARTUP);
    }

    /** Builds the kernel with its line magics. */
    static ZooKernel create() {
        MagicsRegistry magics = new MagicsRegistry();
        ZooKernel[] self = new ZooKernel[1];
        magics.registerLineMagic("jars", (kernel, args) -> {
            self[0].addJars(args);
            return null;
        });
        magics.registerLineMagic("classpath", (kernel, args) -> {
            self[0].addJars(args);
            return null;
        });
        for (String refused : List.of("maven", "mavenRepo", "addMavenDependency", "loadFromPOM")) {
            magics.registerLineMagic(refused, (kernel, args) -> {
                throw new IllegalStateException("%" + refused + " is not supported: this kernel downloads nothing; "
                        + "build the library (./mvnw -DskipTests package) and use %jars target/lib/*.jar");
            });
        }
        self[0] = new ZooKernel(new JupyterIO(StandardCharsets.UTF_8), magics);
        return self[0];
    }

    /**
     * Runs the kernel on the connection described by the JSON file {@code args[0]} until Jupyter shuts it down.
     *
     * @param args the connection file, exactly one
     * @throws Exception if the connection file cannot be read or the sockets cannot be bound
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException(
                    "expected one argument, the Jupyter connection file; got " + args.length);
        }
        Path file = Path.of(args[0]);
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(file));
        JupyterConnection connection = new JupyterConnection(props);
        ZooKernel kernel = create();
        kernel.onStartup();
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
        kernel.shell.close();
    }

    /** Puts every jar matched by the globs (relative to the working folder) on the snippets' class path. */
    void addJars(List<String> globs) {
        if (globs.isEmpty()) {
            throw new IllegalArgumentException("%jars needs at least one path or glob, e.g. %jars target/lib/*.jar");
        }
        for (String glob : globs) {
            List<Path> paths = PathsHandler.resolveGlobs(glob);
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("%jars " + glob + ": nothing matches in "
                        + Path.of("").toAbsolutePath() + "; build first with ./mvnw -DskipTests package");
            }
            for (Path p : paths) {
                shell.addToClasspath(p.toAbsolutePath().toString());
            }
        }
    }

    /**
     * Evaluates a cell: magics are turned into Java calls, then each complete snippet is evaluated in order.
     *
     * @return the value of the last snippet if it is an expression, else {@code null}
     * @throws CellException if a snippet does not compile, throws, or the cell ends in an incomplete snippet
     */
    @Override
    public Object evalRaw(String source) {
        String code = magicParser.resolveMagics(source);
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        Object last = null;
        String rest = code;
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            if (!info.completeness().isComplete()) {
                throw new CellException("incomplete code at the end of the cell: " + rest.strip(), List.of());
            }
            String snippetSource = info.source();
            rest = info.remaining();
            if (provider.control() != null) {
                provider.control().clear();
            }
            List<SnippetEvent> events = shell.eval(snippetSource);
            last = null;
            for (SnippetEvent event : events) {
                if (event.causeSnippet() != null) {
                    continue; // an update of an earlier snippet, not this one
                }
                check(event);
                Snippet.SubKind sub = event.snippet().subKind();
                if (sub == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND || sub == Snippet.SubKind.VAR_VALUE_SUBKIND
                        || sub == Snippet.SubKind.OTHER_EXPRESSION_SUBKIND) {
                    last = provider.control() == null ? null : provider.control().lastValue();
                    if (last instanceof java.io.PrintStream || last instanceof java.io.PrintWriter) {
                        last = null; // the result of a trailing printf/format: not worth showing
                    }
                }
            }
        }
        return last;
    }

    private void check(SnippetEvent event) {
        Snippet snippet = event.snippet();
        if (event.status() == Snippet.Status.REJECTED) {
            List<String> lines = new ArrayList<>();
            shell.diagnostics(snippet).forEach(d -> lines.addAll(describe(d, snippet.source())));
            throw new CellException("the snippet does not compile:\n" + snippet.source().strip(), lines);
        }
        JShellException thrown = event.exception();
        if (thrown instanceof UnresolvedReferenceException unresolved) {
            List<String> missing = shell.unresolvedDependencies(unresolved.getSnippet())
                    .collect(Collectors.toList());
            throw new CellException("the snippet uses undefined names " + missing + ":\n"
                    + snippet.source().strip(), List.of());
        }
        if (thrown instanceof EvalException eval) {
            List<String> lines = new ArrayList<>();
            lines.add(eval.getExceptionClassName() + ": " + eval.getMessage());
            for (StackTraceElement e : eval.getStackTrace()) {
                lines.add("    at " + e);
            }
            for (Throwable c = eval.getCause(); c != null; c = c.getCause()) {
                String name = c instanceof EvalException ee ? ee.getExceptionClassName() : c.getClass().getName();
                lines.add("Caused by: " + name + ": " + c.getMessage());
            }
            throw new CellException(eval.getExceptionClassName() + ": " + eval.getMessage(), lines);
        }
        if (thrown != null) {
            throw new CellException(thrown.getClass().getName() + ": " + thrown.getMessage(), List.of());
        }
    }

    private static List<String> describe(Diag d, String source) {
        List<String> lines = new ArrayList<>();
        lines.add((d.isError() ? "error: " : "warning: ") + d.getMessage(Locale.ROOT));
        int pos = (int) Math.max(0, Math.min(d.getPosition(), source.length()));
        int start = source.lastIndexOf('\n', pos - 1) + 1;
        int end = source.indexOf('\n', pos);
        lines.add("    " + source.substring(start, end < 0 ? source.length() : end));
        lines.add("    " + " ".repeat(pos - start) + "^");
        return lines;
    }

    @Override
    public List<String> formatError(Throwable e) {
        if (e instanceof CellException cell) {
            List<String> lines = new ArrayList<>();
            lines.addAll(List.of(cell.getMessage().split("\n")));
            return lines;
        }
        return super.formatError(e);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(code, at, false);
        if (docs.isEmpty()) {
            return null;
        }
        return new DisplayData(docs.stream().map(SourceCodeAnalysis.Documentation::signature)
                .collect(Collectors.joining("\n")));
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions = shell.sourceCodeAnalysis().completionSuggestions(code, at,
                anchor);
        if (suggestions.isEmpty()) {
            return null;
        }
        return new ReplacementOptions(suggestions.stream().map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct().collect(Collectors.toList()), anchor[0], at);
    }

    @Override
    public String isComplete(String code) {
        SourceCodeAnalysis.Completeness c = shell.sourceCodeAnalysis().analyzeCompletion(code).completeness();
        if (c == SourceCodeAnalysis.Completeness.UNKNOWN) {
            return IS_COMPLETE_BAD;
        }
        return c.isComplete() ? IS_COMPLETE_YES : IS_COMPLETE_MAYBE;
    }

    private static String version() {
        String v = ZooKernel.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A failed cell: one summary line, then details (compiler diagnostics or the snippet's exception stack). */
    static final class CellException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CellException(String message, List<String> details) {
            // no stack: the kernel's own frames say nothing about the cell; the details hold the snippet's
            super(details.isEmpty() ? message : message + "\n" + String.join("\n", details), null, false, false);
        }
    }
}
