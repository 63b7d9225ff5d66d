using NodaTime;

namespace ProductHub.Domain.Documents;

// The facts of a document's stream (document/{documentNumber}): its released revisions. Parts and operations refer to a
// document revision by number and revision; those references are facts of the part's stream (DocumentReferenced).

/// <summary>
/// A released document revision: what it is (<c>Kind</c>: drawing, workInstruction, inspectionPlan, specification ...),
/// where its file is, and the SHA-256 of that file, so that a receiver can prove it fetched the file that was released.
/// Immutable like a part revision: a changed file is a new revision.
/// </summary>
public sealed record DocumentRevisionReleased(
    string DocumentNumber,
    string Revision,
    string Title,
    string Kind,
    string Uri,
    string Sha256,
    string PackageId,
    Instant RecordedAt);

/// <summary>A document revision as it is read and sent.</summary>
public sealed record DocumentRevision(string DocumentNumber, string Revision, string Title, string Kind, string Uri, string Sha256)
{
    public static DocumentRevision Of(DocumentRevisionReleased e) => new(e.DocumentNumber, e.Revision, e.Title, e.Kind, e.Uri, e.Sha256);
}

/// <summary>A reference to a released document revision, from a part revision or one of its operations.</summary>
public sealed record DocumentReference(string DocumentNumber, string Revision);

public static class DocumentStreams
{
    // Part numbers cannot contain '/', so this key never meets a part stream's key.
    public static string Document(string documentNumber) => $"document/{documentNumber}";
}
