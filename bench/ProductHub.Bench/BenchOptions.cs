using System.Globalization;

namespace ProductHub.Bench;

/// <summary>Command line: <c>--parts N</c> (default 20,000), <c>--quick</c> (2,000 parts, short phases), <c>--seed N</c>,
/// <c>--rate N</c> (the steady offered load, releases/s), <c>--hub path/to/ProductHub.Hub.dll</c>, <c>--results folder</c>, <c>--only queries</c> (ingest, plants and queries only:
/// the latency ladder, re-sync and rebuild are skipped) or <c>--only delivery</c> (ingest, plants, latency and re-sync:
/// no queries, no rebuild), for quick before/after figures of one part, or <c>--only structure</c> (release time of deep
/// chains against parts side by side, on a hub of its own: nothing else).</summary>
public sealed record BenchOptions(
    int Parts, bool Quick, int Seed, double Rate, string HubDll, string ResultsFolder, int BulkPackageParts, int ProductsPerPlant,
    TimeSpan SteadyDuration, TimeSpan StepDuration, TimeSpan QueryDuration, double[] Ladder, bool QueriesOnly, bool DeliveryOnly,
    bool StructureOnly)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        var quick = args.Contains("--quick");
        var parts = int.Parse(Value("--parts") ?? (quick ? "2000" : "20000"), CultureInfo.InvariantCulture);
        var repository = Directory.GetCurrentDirectory();
        return new BenchOptions(
            parts, quick,
            int.Parse(Value("--seed") ?? "7", CultureInfo.InvariantCulture),
            double.Parse(Value("--rate") ?? "5", CultureInfo.InvariantCulture),
            Path.GetFullPath(Value("--hub") ?? Path.Combine(repository, "src/Hub/bin/Release/net10.0/ProductHub.Hub.dll")),
            Path.GetFullPath(Value("--results") ?? Path.Combine(repository, "bench/results")),
            BulkPackageParts: Math.Min(1000, Math.Max(100, parts / 40)),
            // Two products per plant at the default size (some 2,500 parts each), at least one.
            ProductsPerPlant: Math.Max(1, parts / 10000),
            SteadyDuration: TimeSpan.FromSeconds(quick ? 8 : 30),
            StepDuration: TimeSpan.FromSeconds(quick ? 5 : 15),
            QueryDuration: TimeSpan.FromSeconds(quick ? 3 : 10),
            Ladder: [1, 2, 5, 10, 25, 50, 100, 200],
            QueriesOnly: Value("--only") == "queries",
            DeliveryOnly: Value("--only") == "delivery",
            StructureOnly: Value("--only") == "structure");
    }
}
