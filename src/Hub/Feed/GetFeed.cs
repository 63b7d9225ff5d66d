using JasperFx.Events;
using Marten;
using NodaTime;
using ProductHub.Hub.Api;
using Wolverine.Http;
using Microsoft.AspNetCore.Authorization;
using ProductHub.Hub.Security;

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
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/feed")]
    public static async Task<IResult> Get(
        string? after, string? limit, string? wait, IQuerySession session, IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryWhole(after, nameof(after), 0, 0, long.MaxValue, out var from, out var problem) ||
            !QueryParameters.TryWhole(limit, nameof(limit), 100, 1, MaxLimit, out var take, out problem) ||
            !QueryParameters.TryWhole(wait, nameof(wait), 0, 0, MaxWaitSeconds, out var holdFor, out problem))
        {
            return problem!;
        }

        var deadline = clock.GetCurrentInstant() + Duration.FromSeconds(holdFor);
        while (true)
        {
            var safe = await ReadAsync(session, from, (int)take, clock.GetCurrentInstant(), ct);
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
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/feed/head")]
    public static async Task<IResult> Head(IQuerySession session, CancellationToken ct) =>
        Results.Ok(new FeedHead(await HeadAsync(session, ct)));

    public static Task<long> HeadAsync(IQuerySession session, CancellationToken ct) =>
        session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);

    private static FeedEntry Entry(IEvent e) =>
        new(e.Sequence, e.StreamKey!, e.Version, e.EventType.Name, e.Timestamp, e.CorrelationId, e.CausationId, e.Data);
}
