using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>Which reading of the part one side of a comparison is: the revision, the date, the instant.</summary>
public sealed record ComparedReading(string Revision, LocalDate Effective, Instant? AsOf)
{
    public static ComparedReading Of(BomRequest request) => new(request.Revision.Revision, request.Effective, request.AsOf);
}

/// <summary>How the <c>to</c> reading of a part differs from the <c>from</c> reading; what did not change is not listed.</summary>
public sealed record PartComparison(
    string PartNumber, ComparedReading From, ComparedReading To, Differences<BomLineView> Bom, Differences<RoutedOperation> Routing,
    ManufacturerDifferences ApprovedManufacturers, ComplianceChange? Compliance, DocumentDifferences Documents)
{
    public static PartComparison Of(BomRequest from, BomRequest to)
    {
        var differences = PartDifferences.Between(new PartReading(from.Revision, from.Effective), new PartReading(to.Revision, to.Effective));
        return new PartComparison(to.Part.Id, ComparedReading.Of(from), ComparedReading.Of(to), differences.Bom, differences.Routing,
            differences.ApprovedManufacturers, differences.Compliance, differences.Documents);
    }
}

[Tags("Parts")]
public static class GetDifferences
{
    private static readonly string[] Parameters = ["fromRevision", "fromEffective", "fromAsOf", "toRevision", "toEffective", "toAsOf"];

    /// <summary>
    /// Each side is read as the BOM and routing queries read <c>revision</c>, <c>effective</c> and <c>asOf</c>. <c>to</c>
    /// defaults to today's reading as known now; the <c>from</c> side's date and instant default to the <c>to</c> side's,
    /// and without any <c>from</c> parameter it is the revision released before <c>to</c>'s: what that revision changed.
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/differences", OperationId = "getDifferences",
        Summary = "How a part's BOM, routing, approved manufacturers and compliance differ between two revisions or two instants")]
    [ProducesResponseType<PartComparison>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(
        string partNumber, string? fromRevision, string? fromEffective, string? fromAsOf, string? toRevision, string? toEffective,
        string? toAsOf, HttpRequest request, IQuerySession session, IClock clock, CancellationToken ct)
    {
        if (request.Query.Keys.FirstOrDefault(k => !Parameters.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
            return Problems.Invalid(unknown, $"is not a parameter of this query; it takes {string.Join(", ", Parameters)}");
        if (!QueryParameters.TryDate(toEffective, nameof(toEffective), clock.GetCurrentInstant().InUtc().Date, out var toDate, out var problem) ||
            !QueryParameters.TryInstant(toAsOf, nameof(toAsOf), out var toKnownAt, out problem) ||
            !QueryParameters.TryDate(fromEffective, nameof(fromEffective), toDate, out var fromDate, out problem) ||
            !QueryParameters.TryInstant(fromAsOf, nameof(fromAsOf), out var fromKnownAt, out problem))
        {
            return problem!;
        }

        var part = await session.LoadAsync<PartView>(partNumber, ct);
        if (part is null) return GetPart.UnknownPart(partNumber);
        var (to, missing) = BomRequest.Resolve(part, toRevision, toDate, toKnownAt, null);
        if (to is null) return NothingToCompare("to", missing!);

        var namesFrom = new[] { fromRevision, fromEffective, fromAsOf }.Any(p => !string.IsNullOrEmpty(p));
        var previous = namesFrom ? null : part.RevisionReleasedBefore(to.Revision, to.AsOf);
        if (!namesFrom && previous is null)
            return NothingToCompare("from", $"rev {to.Revision.Revision} is the first released revision of {part.Id}" +
                                            $"{(to.AsOf is { } at ? $" as of {at}" : "")}; name one with fromRevision, fromEffective or fromAsOf.");
        var (from, missingFrom) = BomRequest.Resolve(part, previous?.Revision ?? fromRevision, fromDate, fromKnownAt ?? toKnownAt, null);
        return from is null ? NothingToCompare("from", missingFrom!) : Results.Ok(PartComparison.Of(from, to));
    }

    private static IResult NothingToCompare(string side, string reason) => Problems.NotFound($"Nothing to compare on the '{side}' side: {reason}");
}
