using JasperFx.Events;
using Marten;
using NodaTime;
using ProductHub.Hub.Api;
using Wolverine.Http;

namespace ProductHub.Hub.Feed;

public sealed record FeedEntry(
    long Position, string Stream, long Version, string Type, DateTimeOffset Timestamp, string? CorrelationId,
    string? CausationId, object Data);

public sealed record FeedHead(long Position);

public sealed record FeedPage(long After, long Next, IReadOnlyList<FeedEntry> Events);

public static class GetFeed
{
    private const int MaxLimit = 1000;
    private const int MaxWaitSeconds = 30;

    /// <summary>
    /// Every canonical change in order, resumable by position: read with <c>after</c> = the last <c>next</c>.
    /// With <c>wait</c> (seconds), an empty page is held open until something arrives (long poll).
    /// </summary>
    [WolverineGet("/api/v1/feed")]
    public static async Task<IResult> Get(
        long? after, int? limit, int? wait, IQuerySession session, IClock clock, CancellationToken ct)
    {
        var from = after ?? 0;
        var take = limit ?? 100;
        var holdFor = wait ?? 0;
        if (from < 0) return Problems.Invalid(nameof(after), "a position from 0");
        if (take is < 1 or > MaxLimit) return Problems.Invalid(nameof(limit), $"1 to {MaxLimit}");
        if (holdFor is < 0 or > MaxWaitSeconds) return Problems.Invalid(nameof(wait), $"0 to {MaxWaitSeconds} seconds");

        var deadline = clock.GetCurrentInstant() + Duration.FromSeconds(holdFor);
        while (true)
        {
            var safe = await ReadAsync(session, from, take, clock.GetCurrentInstant(), ct);
            if (safe.Count > 0 || clock.GetCurrentInstant() >= deadline)
            {
                return Results.Ok(new FeedPage(from, safe.Count > 0 ? safe[^1].Position : from, safe));
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    /// <summary>The changes after a position that a reader may be given now, in order.</summary>
    public static async Task<IReadOnlyList<FeedEntry>> ReadAsync(IQuerySession session, long after, int limit, Instant now, CancellationToken ct)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(limit).ToListAsync(ct);
        var safe = FeedWindow.Safe(events.Select(e => (e.Sequence, Instant.FromDateTimeOffset(e.Timestamp))).ToList(), after, now);
        return events.Take(safe).Select(Entry).ToList();
    }

    /// <summary>The latest position, for a reader that wants to start from now rather than from the beginning.</summary>
    [WolverineGet("/api/v1/feed/head")]
    public static async Task<IResult> Head(IQuerySession session, CancellationToken ct) =>
        Results.Ok(new FeedHead(await HeadAsync(session, ct)));

    public static Task<long> HeadAsync(IQuerySession session, CancellationToken ct) =>
        session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);

    private static FeedEntry Entry(IEvent e) =>
        new(e.Sequence, e.StreamKey!, e.Version, e.EventType.Name, e.Timestamp, e.CorrelationId, e.CausationId, e.Data);
}
