package io.jamwatch.cli;

import io.jamwatch.logs.CsvImporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jamwatch import-csv}: a warehouse CSV export to a recorded log. */
@Command(
    name = "import-csv",
    mixinStandardHelpOptions = true,
    description = "Imports a CSV export (header names the columns; every column other than device, line,"
        + " time, type and id is a numeric reading) into a recorded log. Bad rows go to rejects.csv /"
        + " rejects.txt in the output folder (or stop the import with --strict).")
public final class ImportCsvCommand implements Callable<Integer> {

  @Option(names = "--in", required = true, description = "CSV file to import.")
  Path in;

  @Option(names = "--out", required = true, description = "Output folder (must hold no *.avro yet).")
  Path out;

  @Option(names = "--strict", description = "Stop at the first bad row (nothing is kept). Default: reject and go on.")
  boolean strict;

  @Option(names = "--device-column", defaultValue = "deviceId", description = "Default: ${DEFAULT-VALUE}.")
  String deviceColumn;

  @Option(names = "--line-column", defaultValue = "lineId", description = "Default: ${DEFAULT-VALUE}.")
  String lineColumn;

  @Option(names = "--time-column", defaultValue = "eventTime",
      description = "ISO-8601 with zone or epoch millis. Default: ${DEFAULT-VALUE}.")
  String timeColumn;

  @Option(names = "--type-column", defaultValue = "type", description = "Default: ${DEFAULT-VALUE}.")
  String typeColumn;

  @Option(names = "--id-column", defaultValue = "eventId", description = "Optional column. Default: ${DEFAULT-VALUE}.")
  String idColumn;

  @Option(names = "--chunk-size", defaultValue = "500000",
      description = "Rows sorted in memory per output part. Default: ${DEFAULT-VALUE}.")
  int chunkSize;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(in)) {
      System.err.println("import-csv: --in " + in + " is not a file");
      return 2;
    }
    CsvImporter.Options opt;
    try {
      opt = CsvImporter.Options.defaults()
          .withColumns(deviceColumn, lineColumn, timeColumn, typeColumn, idColumn)
          .withStrict(strict)
          .withChunkSize(chunkSize);
      io.jamwatch.logs.RecordedLogWriter.refuseExistingLog(out);
    } catch (IllegalArgumentException e) {
      System.err.println("import-csv: " + e.getMessage());
      return 2;
    }
    ProgressBar bar = new ProgressBar("import-csv");
    long size = Math.max(1, in.toFile().length());
    CsvImporter.Result r;
    try {
      // Progress by rows read; the fraction is estimated from ~80 bytes per row.
      r = CsvImporter.importCsv(in, out, opt,
          rows -> bar.update(Math.min(0.99, rows * 80.0 / size), String.format("%,d rows", rows)));
    } catch (CsvImporter.BadInputException e) {
      System.err.println();
      System.err.println(e.getMessage());
      return 1;
    }
    bar.finish(String.format("%,d rows", r.rows()));
    for (String m : r.firstRejects()) {
      System.err.println(m);
    }
    if (r.rejected() > r.firstRejects().size()) {
      System.err.printf("... %,d more, all in %s%n", r.rejected() - r.firstRejects().size(),
          out.resolve(CsvImporter.REJECTS_TXT));
    }
    System.out.printf("rows        %,d%n", r.rows());
    System.out.printf("imported    %,d events of %,d devices in %d part(s) -> %s%n", r.imported(), r.devices(),
        r.parts(), out);
    if (r.imported() > 0) {
      System.out.printf("time span   %s .. %s%n", Instant.ofEpochMilli(r.firstEventTime()),
          Instant.ofEpochMilli(r.lastEventTime()));
    }
    System.out.printf("rejected    %,d%s%n", r.rejected(), r.rejected() == 0 ? ""
        : " (rows in " + out.resolve(CsvImporter.REJECTS_CSV) + ", reasons in "
            + out.resolve(CsvImporter.REJECTS_TXT) + ")");
    return 0;
  }
}
