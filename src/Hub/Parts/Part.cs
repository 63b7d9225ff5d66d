using ProductHub.Domain.Parts;

namespace ProductHub.Hub.Parts;

/// <summary>
/// What release intake needs to decide about one part: its master data and the content hash of each
/// revision released so far. Aggregated live from the part's stream by <c>FetchForWriting</c>.
/// </summary>
public sealed class Part
{
    public string Id { get; set; } = "";
    public string Description { get; set; } = "";
    public string Unit { get; set; } = "";
    public PartType Type { get; set; }
    public string? CurrentRevision { get; set; }
    public Dictionary<string, ReleasedRevision> Released { get; set; } = [];

    public static Part Create(PartRegistered e) =>
        new() { Id = e.PartNumber, Description = e.Description, Unit = e.Unit, Type = e.Type };

    public void Apply(PartAttributesChanged e)
    {
        Description = e.Description;
        Unit = e.Unit;
        Type = e.Type;
    }

    public void Apply(RevisionReleased e)
    {
        Released[e.Revision] = new ReleasedRevision(e.PackageId, e.ContentHash);
        CurrentRevision = e.Revision;
    }
}

public sealed record ReleasedRevision(string PackageId, string ContentHash);
