using NodaTime;

namespace ProductHub.Hub.Parts.Releasing;

/// <summary>
/// The answer given to a release package, stored under its package id in the same transaction as its
/// events: a package sent again is answered from here, and a package id reused for other content is refused.
/// </summary>
public sealed class ReleaseReceipt
{
    public string Id { get; set; } = "";
    public string RequestHash { get; set; } = "";
    public ReleaseAnswer Answer { get; set; } = null!;
}

public sealed record ReleaseAnswer(
    Guid ReleaseId,
    string PackageId,
    string Source,
    string? ChangeOrder,
    Instant RecordedAt,
    int EventCount,
    IReadOnlyList<ReleasedPartAnswer> Parts,
    IReadOnlyList<ReleasedDocumentAnswer>? Documents = null);

/// <summary><c>Outcome</c> is <c>released</c>, or <c>unchanged</c> for a revision released before with the same content.</summary>
public sealed record ReleasedPartAnswer(string PartNumber, string Revision, string Outcome, int Events);

/// <summary><c>Outcome</c> as for parts: <c>released</c>, or <c>unchanged</c> for a document revision released before.</summary>
public sealed record ReleasedDocumentAnswer(string DocumentNumber, string Revision, string Outcome);
