package io.jamwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code java -jar target/jamwatch.jar <command>}.
 *
 * <p>Every subcommand lives in the package of its domain (sim/, train/, stream/, ...) or here, and is
 * registered in {@link #SUBCOMMANDS}; commands not built yet are absent, never stubs.
 */
@Command(
    name = "jamwatch",
    mixinStandardHelpOptions = true,
    versionProvider = JamwatchCli.Version.class,
    description = "Streaming jam-risk detector for warehouse conveyor lines.",
    subcommands = {CommandLine.HelpCommand.class})
public final class JamwatchCli implements Runnable {

  /**
   * One line per subcommand, sorted. Classes, not instances: picocli then creates a fresh instance per
   * command line, so option defaults are never captured from a used instance.
   */
  static final Object[] SUBCOMMANDS = {
    BacktestCommand.class,
    BenchCommand.class,
    io.jamwatch.web.DashboardCommand.class,
    DemoCommand.class,
    ImportCsvCommand.class,
    ImportJsonCommand.class,
    InspectCommand.class,
    ReplayCommand.class,
    RunCommand.class,
    ScoreCommand.class,
    SimulateCommand.class,
    TrainCommand.class,
  };

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new JamwatchCli());
    for (Object sub : SUBCOMMANDS) {
      cl.addSubcommand(sub);
    }
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(JamwatchCli::reportBadInput);
    return cl;
  }

  /**
   * Bad input (a missing or foreign file, an invalid value: IllegalArgumentException or an I/O
   * error) ends every command the same way: one line naming the command and the problem, exit code
   * 2, no stack trace. Anything else is a bug and keeps its stack trace; so does bad input when
   * JAMWATCH_STACKTRACE is set.
   */
  private static int reportBadInput(Exception e, CommandLine cmd, CommandLine.ParseResult parsed)
      throws Exception {
    boolean badInput = e instanceof IllegalArgumentException
        || e instanceof java.io.IOException
        || e instanceof java.io.UncheckedIOException;
    if (!badInput || System.getenv("JAMWATCH_STACKTRACE") != null) throw e;
    String why = e instanceof IllegalArgumentException && e.getMessage() != null ? e.getMessage() : e.toString();
    cmd.getErr().println("jamwatch " + cmd.getCommandName() + ": " + why);
    return 2;
  }

  public static void main(String[] args) {
    ConsoleLogs.route(args);
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = JamwatchCli.class.getPackage().getImplementationVersion();
      return new String[] {"jamwatch " + (v == null ? "dev" : v)};
    }
  }
}
