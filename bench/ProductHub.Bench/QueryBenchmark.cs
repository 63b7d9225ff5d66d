using System.Diagnostics;
using HdrHistogram;

namespace ProductHub.Bench;

/// <summary>
/// Read queries in a closed loop over a set of URLs: one client for latency percentiles, then several at once for
/// throughput. Every answer must be 200, or the figure would time an error page.
/// </summary>
public static class QueryBenchmark
{
    public sealed record Result(LongHistogram Latency, double PerSecond, double ConcurrentPerSecond, int Concurrency);

    public static async Task<Result> RunAsync(HttpClient client, IReadOnlyList<string> urls, TimeSpan duration, int concurrency)
    {
        // Warm: code generated on first use and cold caches are not what a steady hub answers with.
        foreach (var url in urls.Take(5)) await GetAsync(client, url);

        var latency = Report.NewHistogram();
        var (count, elapsed) = await LoopAsync(client, urls, duration, 1, latency);
        var (concurrentCount, concurrentElapsed) = await LoopAsync(client, urls, duration, concurrency, null);
        return new Result(latency, count / elapsed.TotalSeconds, concurrentCount / concurrentElapsed.TotalSeconds, concurrency);
    }

    private static async Task<(long Count, TimeSpan Elapsed)> LoopAsync(
        HttpClient client, IReadOnlyList<string> urls, TimeSpan duration, int clients, LongHistogram? latency)
    {
        long count = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            for (var i = c; watch.Elapsed < duration; i += clients)
            {
                var started = Stopwatch.GetTimestamp();
                await GetAsync(client, urls[i % urls.Count]);
                if (latency is not null) lock (latency) latency.RecordValue((long)Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                Interlocked.Increment(ref count);
            }
        }));
        return (count, watch.Elapsed);
    }

    private static async Task GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
