using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Documents;
using Wolverine.Http;

namespace ProductHub.Hub.Documents.Querying;

public sealed record DocumentAnswer(string DocumentNumber, IReadOnlyList<DocumentRevisionAnswer> Revisions);

/// <summary>A released document revision and the part revisions (and their operations) that use it.</summary>
public sealed record DocumentRevisionAnswer(
    string DocumentNumber, string Revision, string Title, string Kind, string Uri, string Sha256, string PackageId, Instant RecordedAt,
    IReadOnlyList<DocumentUseAnswer> WhereUsed);

/// <param name="OperationNumber">Null where the part revision uses the document as a whole.</param>
public sealed record DocumentUseAnswer(string PartNumber, string Revision, int? OperationNumber);

[Tags("Documents")]
public static class GetDocument
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/documents/{documentNumber}", OperationId = "getDocument",
        Summary = "A document's released revisions and where each is used, as known at an instant")]
    [ProducesResponseType<DocumentAnswer>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string documentNumber, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (!QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out var problem)) return problem!;
        var revisions = Known(await session.LoadAsync<DocumentView>(documentNumber, ct), knownAt);
        return revisions.Count == 0
            ? UnknownDocument(documentNumber)
            : Results.Ok(new DocumentAnswer(documentNumber, revisions));
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/documents/{documentNumber}/{revision}", OperationId = "getDocumentRevision",
        Summary = "A released document revision and where it is used, as known at an instant")]
    [ProducesResponseType<DocumentRevisionAnswer>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> GetRevision(
        string documentNumber, string revision, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (!QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out var problem)) return problem!;
        var known = Known(await session.LoadAsync<DocumentView>(documentNumber, ct), knownAt);
        return known.Count == 0
            ? UnknownDocument(documentNumber)
            : known.FirstOrDefault(r => r.Revision == revision) is { } answer
                ? Results.Ok(answer)
                : Problems.NotFound($"Document {documentNumber} has no released revision {revision}.");
    }

    /// <summary>The revisions released as of <paramref name="asOf"/> (null: now), each with the uses recorded by then.</summary>
    public static List<DocumentRevisionAnswer> Known(DocumentView? document, Instant? asOf)
    {
        bool KnownBy(Instant recordedAt) => asOf is null || recordedAt <= asOf.Value;
        return document is null
            ? []
            : document.Revisions.Where(r => KnownBy(r.RecordedAt)).Select(r => new DocumentRevisionAnswer(
                document.Id, r.Revision, r.Title, r.Kind, r.Uri, r.Sha256, r.PackageId, r.RecordedAt,
                document.WhereUsed.Where(u => u.DocumentRevision == r.Revision && KnownBy(u.RecordedAt))
                    .OrderBy(u => u.PartNumber, StringComparer.Ordinal).ThenBy(u => u.Revision, StringComparer.Ordinal)
                    .ThenBy(u => u.OperationNumber)
                    .Select(u => new DocumentUseAnswer(u.PartNumber, u.Revision, u.OperationNumber)).ToList())).ToList();
    }

    private static IResult UnknownDocument(string documentNumber) =>
        Problems.NotFound($"Document {documentNumber} is not known to the hub.");
}
