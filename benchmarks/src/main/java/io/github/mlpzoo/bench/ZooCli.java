package io.github.mlpzoo.bench;

import io.github.mlpzoo.bench.cli.BenchCommand;
import io.github.mlpzoo.bench.cli.EvalCommand;
import io.github.mlpzoo.bench.cli.ImportCommand;
import io.github.mlpzoo.bench.cli.InfoCommand;
import io.github.mlpzoo.bench.cli.ListCommand;
import io.github.mlpzoo.bench.cli.ParityCommand;
import io.github.mlpzoo.bench.cli.TrainCommand;
import io.github.mlpzoo.core.Engines;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code zoo} command line: list and describe the registered variants, train them on real data and
 * print the result beside the paper's figure, evaluate saved models.
 *
 * <p>Bad arguments and failures print one line on stderr and exit non-zero; {@code --verbose} adds the
 * stack trace.
 */
@Command(
        name = "zoo",
        mixinStandardHelpOptions = true,
        version = "MLP Zoo 0.1.0 (DJL 0.29.0, PyTorch 2.3.1)",
        description = "MLP-family models for the JVM: list, describe, train, evaluate.",
        subcommands = {
            ListCommand.class, InfoCommand.class, TrainCommand.class, EvalCommand.class,
            ImportCommand.class, ParityCommand.class, BenchCommand.class
        })
public final class ZooCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int run(String... args) {
        Engines.configureOffline();
        boolean verbose = false;
        for (String a : args) {
            verbose |= a.equals("--verbose") || a.equals("-v");
        }
        CommandLine cli = new CommandLine(new ZooCli());
        final boolean showStack = verbose;
        cli.setParameterExceptionHandler((ex, argv) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("zoo: " + ex.getMessage() + " (see: zoo " + commandPath(ex.getCommandLine()) + " --help)");
            if (showStack) {
                ex.printStackTrace(err);
            }
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("zoo: " + oneLine(ex));
            if (showStack) {
                ex.printStackTrace(err);
            }
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The exception's message (or its cause's), on one line. */
    static String oneLine(Throwable ex) {
        Throwable t = ex;
        while (t.getMessage() == null && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return msg.replace('\n', ' ');
    }

    private static String commandPath(CommandLine cl) {
        String name = cl.getCommandName();
        return "zoo".equals(name) ? "" : name;
    }
}
