using System.Collections.Concurrent;
using Alba;
using ProductHub.Hub.Infrastructure;
using ProductHub.Tests.Support;
using Xunit.Abstractions;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Faults;

/// <summary>
/// PostgreSQL stopped and started again under a stream of releases, on a cluster of its own: while it is down the
/// hub answers 503 problems, nothing it accepted is lost, and it serves again without a restart. A dropped file the
/// database could not take meanwhile is not the file's fault: it waits in place and is taken once it is back.
/// </summary>
// In the shared hub's collection so that no other test runs while its hub is built with its own connection string.
[Collection(HubCollection.Name)]
public sealed class when_the_database_goes_down(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Clients = 4;
    private string _folder = null!;
    private LocalPostgres _postgres = null!;
    private IAlbaHost _hub = null!;

    public async Task InitializeAsync()
    {
        // Not Directory.CreateTempSubdirectory: its 0700 folder is out of reach of the postgres user under root.
        _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "producthub-outage-" + Guid.NewGuid().ToString("N"))).FullName;
        _postgres = LocalPostgres.Start(Path.Combine(_folder, "pg"), "producthub_outage", fast: true);
        _hub = await OwnDatabase.HubAsync(_postgres.ConnectionString,
            ("ProductHub__StatusEventDropFolder", Drop), ("ProductHub__DropFolderPollInterval", "00:00:00.200"));
    }

    private string Drop => Path.Combine(_folder, "status-events");

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        _postgres.Dispose();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* a temp folder is disposable */ }
    }

    [Fact]
    public async Task requests_fail_with_503_while_it_is_down_and_nothing_accepted_is_lost()
    {
        var api = new HubApi(_hub);
        var accepted = new ConcurrentBag<string>();
        var unavailable = new ConcurrentBag<string>();
        var unexpected = new ConcurrentBag<string>();
        var next = 0;
        using var stop = new CancellationTokenSource();

        async Task Client()
        {
            while (!stop.IsCancellationRequested)
            {
                var id = $"REL-{Interlocked.Increment(ref next):D5}";
                var answer = await api.Release(Package(id, "2026-01-10T08:00:00Z", Part($"PN-{id}", "A", "2026-01-10")));
                if (answer.Status == 201) accepted.Add(id);
                else if (answer.Status == 503 && answer.Json["type"]!.GetValue<string>().EndsWith("/database-unavailable")) unavailable.Add(id);
                else unexpected.Add($"{id}: {answer}");
            }
        }

        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(Client)).ToList();
        await Wait.Until(() => Task.FromResult(accepted.Count >= 20 ? "" : null), "releases before the outage");
        _postgres.Stop();
        await Wait.Until(() => Task.FromResult(unavailable.Count >= 20 ? "" : null), "503 answers during the outage");
        var read = await api.Get("/api/v1/parts/PN-REL-00001");
        _postgres.Resume();
        var atRecovery = accepted.Count;
        await Wait.Until(() => Task.FromResult(accepted.Count >= atRecovery + 20 ? "" : null), "releases after the outage", seconds: 60);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        // A client retries what got a 503: stored or not, the package id makes the retry safe.
        var retried = await Task.WhenAll(unavailable.Select(id =>
            api.Release(Package(id, "2026-01-10T08:00:00Z", Part($"PN-{id}", "A", "2026-01-10")))));
        var all = accepted.Concat(unavailable).ToList();
        var missing = new List<string>();
        var duplicated = 0L;
        foreach (var id in all)
        {
            var released = await EventStore.CountAsync(_postgres.ConnectionString, "revision_released", $"PN-{id}");
            if (released == 0) missing.Add(id);
            if (released > 1) duplicated++;
        }

        output.WriteLine($"database outage: {accepted.Count} releases accepted, {unavailable.Count} answered 503 (then retried), " +
                         $"{unexpected.Count} other answers; lost {missing.Count}, duplicated {duplicated}");
        unexpected.ShouldBeEmpty();
        read.Status.ShouldBe(503, read.ToString());
        retried.ShouldAllBe(a => a.Status == 201);
        missing.ShouldBeEmpty();
        duplicated.ShouldBe(0);
    }

    [Fact]
    public async Task a_dropped_file_waits_while_it_is_down_and_is_taken_after()
    {
        var api = new HubApi(_hub);
        (await api.Release(Package("REL-1", "2026-02-10T12:00:00Z", Part("PN-1", "A", "2026-02-10")))).Status.ShouldBe(201);
        Directory.CreateDirectory(Drop);

        _postgres.Stop();
        var file = Path.Combine(Drop, "hold.json");
        await File.WriteAllTextAsync(file, """
            {"eventId":"F-1","type":"ProductionHoldPlaced","source":"mes","plant":"P1","partNumber":"PN-1","revision":"A","occurredAt":"2026-03-02T06:15:00Z"}
            """);
        // Long enough for the file to settle and for several rounds of the watcher to fail on it.
        var watched = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < watched)
        {
            File.Exists(file).ShouldBeTrue("a file the database could not take for the moment was moved");
            await Task.Delay(200);
        }
        Directory.Exists(Path.Combine(Drop, "failed")).ShouldBeFalse();
        _postgres.Resume();

        await Wait.Until(() => Task.FromResult(Directory.Exists(Path.Combine(Drop, "done")) && !File.Exists(file) ? "" : null),
            "the file to be taken once the database is back", seconds: 60);
        (await api.Get("/api/v1/parts/PN-1/status")).Json["openHolds"]!.AsArray().Single()!["eventId"]!.GetValue<string>().ShouldBe("F-1");
        Directory.Exists(Path.Combine(Drop, "failed")).ShouldBeFalse();
    }
}
