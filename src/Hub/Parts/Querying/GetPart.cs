using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

public sealed record PartResponse(
    string PartNumber,
    string Description,
    string Unit,
    PartType Type,
    Instant RegisteredAt,
    string? CurrentRevision,
    IReadOnlyList<RevisionResponse> Revisions);

public sealed record RevisionResponse(
    string Revision,
    LifecycleState State,
    string Description,
    string Unit,
    PartType Type,
    decimal BaseQuantity,
    string BaseUnit,
    LocalDate EffectiveFrom,
    Instant? ReleasedAt,
    Instant? ReleaseRecordedAt,
    string? PackageId,
    string? ChangeOrder,
    string? SupersededBy,
    Instant? SupersededAt,
    IReadOnlyDictionary<string, string> Attributes,
    ComplianceAttributes? Compliance,
    IReadOnlyList<ApprovedManufacturer> ApprovedManufacturers,
    int BomLines,
    IReadOnlyList<DocumentRevision> Documents);

[Tags("Parts")]
public static class GetPart
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}", OperationId = "getPart", Summary = "A canonical part with its revisions and their lifecycle states")]
    [ProducesResponseType<PartResponse>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string partNumber, IQuerySession session, CancellationToken ct)
    {
        var part = await session.LoadAsync<PartView>(partNumber, ct);
        if (part is null) return UnknownPart(partNumber);

        return Results.Ok(new PartResponse(
            part.Id, part.Description, part.Unit, part.Type, part.RegisteredAt, part.CurrentRevision,
            part.Revisions.Select(r => new RevisionResponse(
                r.Revision, r.State, r.Description, r.Unit, r.Type, r.BaseQuantity, r.BaseUnit, r.EffectiveFrom,
                r.ReleasedAt, r.ReleaseRecordedAt, r.PackageId, r.ChangeOrder, r.SupersededBy, r.SupersededAt,
                r.Attributes, r.Compliance, r.ApprovedManufacturers, r.Bom.Count,
                r.Documents.Where(d => d.OperationNumber is null).Select(d => d.Document).ToList())).ToList()));
    }

    public static IResult UnknownPart(string partNumber) => Problems.NotFound(Unknown(partNumber));

    public static string Unknown(string partNumber) => $"Part {partNumber} is not known to the hub.";
}
