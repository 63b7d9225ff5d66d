using System.Diagnostics;
using System.Text.Json;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Parts.Releasing;

namespace ProductHub.Bench;

/// <summary>
/// Release time against the shape of a structure (<c>--only structure</c>): chains of growing depth, each part the
/// only child of the next, released in one package, and as a baseline the same number of parts side by side (no
/// lines). Each chain is a fresh catalog; a depth whose release took longer than <see cref="GiveUpAfter"/> ends the
/// ladder, since the next would take far longer still.
/// </summary>
public static class StructureBenchmark
{
    private static readonly int[] Depths = [500, 1000, 2000, 5000];
    private const int SideBySide = 2000;
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(BenchOptions options, Report report)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-bench-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        using var postgres = LocalPostgres.Start(Path.Combine(folder, "pg"), "producthub_bench", fast: false);
        report.Json["postgres"] = await Machine.PostgresAsync(postgres.ConnectionString);
        await using var hub = await HubProcess.StartAsync(options.HubDll, postgres.ConnectionString, folder, Path.Combine(folder, "hub.log"));
        Console.WriteLine($"Hub pid {hub.Pid} at {hub.BaseAddress}, PostgreSQL on port {postgres.Port}, data in {folder}");

        // Warm-up: the first release generates the handlers' code.
        await ReleaseAsync(hub.Client, Package("warm", Enumerable.Range(0, 10).Select(i => Part($"W{i}", i < 9 ? $"W{i + 1}" : null))));
        report.Add("structure", $"{SideBySide} parts side by side, one package", (await ReleaseAsync(hub.Client,
            Package("flat", Enumerable.Range(0, SideBySide).Select(i => Part($"F{i:D5}", null))))).TotalSeconds, "s");
        foreach (var depth in Depths)
        {
            var chain = Enumerable.Range(0, depth).Select(i => Part($"D{depth}-{i:D5}", i < depth - 1 ? $"D{depth}-{i + 1:D5}" : null));
            var elapsed = await ReleaseAsync(hub.Client, Package($"chain-{depth}", chain));
            report.Add("structure", $"chain of {depth} levels, one package", elapsed.TotalSeconds, "s");
            if (elapsed > GiveUpAfter)
            {
                report.Note("structure", "deeper chains", $"not run: {depth} levels took more than {GiveUpAfter.TotalSeconds:F0} s");
                break;
            }
        }

        await hub.DisposeAsync();
        try { postgres.Dispose(); Directory.Delete(folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }

    private static ReleasedPart Part(string number, string? child) =>
        new(number, "A", $"Part {number}", "EA", child is null ? PartType.Buy : PartType.Make, null, null, null, null, null, null,
            child is null ? [] : [new ReleasedBomLine(10, child, 1, "EA", null, null, null)]);

    private static ReleasePackage Package(string id, IEnumerable<ReleasedPart> parts) =>
        new($"structure-{id}", "plm-bench", DateTimeOffset.UtcNow, null, parts.ToList());

    private static async Task<TimeSpan> ReleaseAsync(HttpClient client, ReleasePackage package)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(package, IngestBenchmark.Json);
        var watch = Stopwatch.StartNew();
        await IngestBenchmark.ReleaseAsync(client, body);
        return watch.Elapsed;
    }
}
