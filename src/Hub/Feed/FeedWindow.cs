using NodaTime;

namespace ProductHub.Hub.Feed;

/// <summary>
/// Where the change feed may safely stop. Event positions come from a database sequence that is drawn before a
/// transaction commits, so position 12 can be visible while 11 is still committing: handing out 12 then would
/// make a reader that resumes "after 12" miss 11 for ever. A gap is waited out until the event after it has
/// settled (then the gap is a rolled-back transaction and stays empty).
/// </summary>
public static class FeedWindow
{
    public static readonly Duration Settle = Duration.FromSeconds(3);

    /// <summary>How many of these positions (ascending, all after <paramref name="after"/>) a reader may be given now.</summary>
    public static int Safe(IReadOnlyList<(long Position, Instant RecordedAt)> events, long after, Instant now)
    {
        var expected = after + 1;
        for (var i = 0; i < events.Count; i++)
        {
            var (position, recordedAt) = events[i];
            if (position != expected && now - recordedAt < Settle) return i;
            expected = position + 1;
        }
        return events.Count;
    }
}
