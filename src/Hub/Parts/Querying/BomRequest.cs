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
        if (part is null) return (null, GetPart.UnknownPart(partNumber));
        var (request, missing) = Resolve(part, revision, date, knownAt, levels);
        return request is null ? (null, Problems.NotFound(missing!)) : (request, null);
    }

    /// <summary>The reading of a loaded part the parameters ask for, or why there is none (for a 404).</summary>
    public static (BomRequest? Request, string? Missing) Resolve(PartView part, string? revision, LocalDate date, Instant? knownAt, int? depth)
    {
        if (!part.IsKnownAsOf(knownAt)) return (null, GetPart.Unknown(part.Id));
        var asOfText = knownAt is null ? "" : $" as of {knownAt}";
        RevisionView? chosen;
        if (revision is not null)
        {
            chosen = part.FindRevision(revision);
            if (chosen is null || !chosen.IsReleasedAsOf(knownAt))
                return (null, $"{part.Id} has no released revision {revision}{asOfText}.");
        }
        else
        {
            chosen = part.RevisionEffectiveOn(date, knownAt);
            if (chosen is null)
                return (null, $"No revision of {part.Id} is released and effective on {date}{asOfText}.");
        }
        return (new BomRequest(part, chosen, date, knownAt, depth), null);
    }
}
