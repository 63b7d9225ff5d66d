using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Bogus;
using HdrHistogram;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Parts.Releasing;

namespace ProductHub.Bench;

/// <summary>
/// Release-to-ERP latency: new revisions of bought parts that plants receive are released at a fixed offered rate
/// (open loop: a slow answer does not slow the sender), and each is timed from the release request until the
/// loopback ERP acknowledges its delivery, once per plant receiving the part.
/// </summary>
public sealed class LatencyBenchmark
{
    private readonly HttpClient _client;
    private readonly IReadOnlyList<(string PartNumber, int Plants)> _candidates;
    private readonly Faker _faker;
    private readonly ConcurrentDictionary<(string Part, string Revision), Pending> _pending = new();
    private readonly Dictionary<string, string> _latest = [];
    private LongHistogram _histogram = Report.NewHistogram();
    private int _counter;
    private int _outstanding;
    private int _superseded;

    private sealed class Pending(long sentAt, int remaining)
    {
        public long SentAt = sentAt;
        public int Remaining = remaining;
    }

    /// <param name="Superseded">Releases whose part was released again before their deliveries arrived: the hub sends
    /// only the newest revision, so these are not waited for nor timed.</param>
    public sealed record Step(double OfferedPerSecond, int Released, double AcknowledgedPerSecond, int BacklogAtEnd,
        TimeSpan Drain, bool Sustained, LongHistogram Latency, int Failures, int Superseded);

    public LatencyBenchmark(HttpClient client, LoopbackErp erp, IReadOnlyList<(string PartNumber, int Plants)> candidates, int seed)
    {
        _client = client;
        _faker = new Faker { Random = new Randomizer(seed) };
        // Taken in turn from a shuffled list, so a part is released again only after all others: a newer revision
        // in flight would supersede the delivery being timed.
        _candidates = _faker.Random.Shuffle(candidates).ToList();
        erp.OnArrival = Arrived;
    }

    private void Arrived(LoopbackErp.Arrival arrival)
    {
        if (!_pending.TryGetValue((arrival.PartNumber, arrival.Revision), out var pending)) return;
        var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref pending.SentAt), arrival.Timestamp);
        lock (_pending) _histogram.RecordValue((long)elapsed.TotalMicroseconds);
        Interlocked.Decrement(ref _outstanding);
        if (Interlocked.Decrement(ref pending.Remaining) == 0) _pending.TryRemove((arrival.PartNumber, arrival.Revision), out _);
    }

    /// <summary>
    /// Offers <paramref name="perSecond"/> releases a second for <paramref name="duration"/>, then waits up to
    /// <paramref name="drainLimit"/> for the last acknowledgements. Sustained: every delivery acknowledged within
    /// max(1 s, a tenth of the duration) after the last release, so no backlog built up.
    /// </summary>
    public async Task<Step> RunAsync(double perSecond, TimeSpan duration, TimeSpan drainLimit)
    {
        lock (_pending) _histogram = Report.NewHistogram();
        // Releases of an earlier step still in flight are no longer timed.
        _pending.Clear();
        _latest.Clear();
        Volatile.Write(ref _outstanding, 0);
        Volatile.Write(ref _superseded, 0);
        var total = (int)Math.Round(perSecond * duration.TotalSeconds);
        var sends = new List<Task<bool>>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due);
            sends.Add(ReleaseOneAsync());
        }
        var sendWindow = Stopwatch.GetElapsedTime(start);
        var backlogAtEnd = Volatile.Read(ref _outstanding);
        var failures = (await Task.WhenAll(sends)).Count(ok => !ok);

        var drainStart = Stopwatch.GetTimestamp();
        var drainDeadline = drainStart + (long)(drainLimit.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _outstanding) > 0 && Stopwatch.GetTimestamp() < drainDeadline) await Task.Delay(50);
        var drain = Stopwatch.GetElapsedTime(drainStart);
        var drained = Volatile.Read(ref _outstanding) == 0;
        LongHistogram latency;
        lock (_pending) latency = (LongHistogram)_histogram.Copy();
        var acknowledgedPerSecond = latency.TotalCount / (sendWindow + drain).TotalSeconds;
        var sustained = drained && failures == 0 && drain <= TimeSpan.FromSeconds(Math.Max(1, duration.TotalSeconds / 10));
        return new Step(perSecond, total, acknowledgedPerSecond, backlogAtEnd, drain, sustained, latency, failures, Volatile.Read(ref _superseded));
    }

    /// <summary>Waits until every release sent so far is acknowledged, or the limit passes.</summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Volatile.Read(ref _outstanding) > 0 && Stopwatch.GetTimestamp() < deadline) await Task.Delay(100);
    }

    private async Task<bool> ReleaseOneAsync()
    {
        var n = Interlocked.Increment(ref _counter);
        var target = _candidates[n % _candidates.Count];
        var revision = $"R{n}";
        ReleasedPart part;
        lock (_faker) part = Catalog.Part(_faker, target.PartNumber, revision, PartType.Buy, []);
        var package = new ReleasePackage($"latency-{n:D6}", "plm-bench", DateTimeOffset.UtcNow, null, [part]);
        var body = JsonSerializer.SerializeToUtf8Bytes(package, IngestBenchmark.Json);
        Interlocked.Add(ref _outstanding, target.Plants);
        _pending[(target.PartNumber, revision)] = new Pending(Stopwatch.GetTimestamp(), target.Plants);
        // Past the candidates' count in one step a part comes round again while its last revision may still wait;
        // the hub then delivers only the newer one (superseded), so the older is no longer waited for.
        // Releases are made one after another (this runs before its first await), so the newest revision is plain to keep.
        var older = _latest.GetValueOrDefault(target.PartNumber);
        _latest[target.PartNumber] = revision;
        if (older is not null && _pending.TryRemove((target.PartNumber, older), out var overtaken))
        {
            Interlocked.Add(ref _outstanding, -Volatile.Read(ref overtaken.Remaining));
            Interlocked.Increment(ref _superseded);
        }
        try
        {
            await IngestBenchmark.ReleaseAsync(_client, body);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"  release {package.PackageId} failed: {e.Message}");
            if (_pending.TryRemove((target.PartNumber, revision), out var pending)) Interlocked.Add(ref _outstanding, -pending.Remaining);
            return false;
        }
    }
}
