using Marten;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>
/// The question every BOM query asks: which part and revision, on which effective date (default today), as
/// known at which instant (default now), how many levels deep (default 1, or <c>all</c>).
/// </summary>
public sealed record BomRequest(PartView Part, RevisionView Revision, LocalDate Effective, Instant? AsOf, int? Depth)
{
    public static async Task<(BomRequest? Request, IResult? Problem)> ResolveAsync(
        string partNumber, string? revision, string? effective, string? asOf, string? depth,
        IQuerySession session, IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryDate(effective, nameof(effective), clock.GetCurrentInstant().InUtc().Date, out var date, out var problem) ||
            !QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out problem) ||
            !QueryParameters.TryDepth(depth, nameof(depth), out var levels, out problem))
        {
            return (null, problem);
        }

        var part = await session.LoadAsync<PartView>(partNumber, ct);
        if (part is null || !part.IsKnownAsOf(knownAt)) return (null, GetPart.UnknownPart(partNumber));

        var asOfText = knownAt is null ? "" : $" as of {knownAt}";
        RevisionView? chosen;
        if (revision is not null)
        {
            chosen = part.FindRevision(revision);
            if (chosen is null || !chosen.IsReleasedAsOf(knownAt))
                return (null, Problems.NotFound($"{partNumber} has no released revision {revision}{asOfText}."));
        }
        else
        {
            chosen = part.RevisionEffectiveOn(date, knownAt);
            if (chosen is null)
                return (null, Problems.NotFound($"No revision of {partNumber} is released and effective on {date}{asOfText}."));
        }
        return (new BomRequest(part, chosen, date, knownAt, levels), null);
    }
}
