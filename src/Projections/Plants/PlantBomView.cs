using NodaTime;
using ProductHub.Domain.Plants;

namespace ProductHub.Projections.Plants;

/// <summary>What a plant has been sent for one part: the latest publication in full, and every earlier one's stamp.</summary>
public sealed class PlantBomView
{
    public string Id { get; set; } = "";
    public string PlantCode { get; set; } = "";
    public string PartNumber { get; set; } = "";
    public PlantBomPublished Latest { get; set; } = null!;
    public List<PublicationStamp> Publications { get; set; } = [];

    public static PlantBomView Create(PlantBomPublished e)
    {
        var view = new PlantBomView { Id = PlantStreams.Mbom(e.PlantCode, e.PartNumber), PlantCode = e.PlantCode, PartNumber = e.PartNumber };
        view.Apply(e);
        return view;
    }

    public void Apply(PlantBomPublished e)
    {
        Latest = e;
        Publications.Add(new PublicationStamp(e.Version, e.Revision, e.ContentHash, e.Cause, e.RecordedAt));
    }
}

public sealed record PublicationStamp(int Version, string Revision, string ContentHash, string Cause, Instant RecordedAt);
