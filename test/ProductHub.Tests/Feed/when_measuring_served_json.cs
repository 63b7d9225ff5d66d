using System.Text;
using System.Text.Json;
using ProductHub.Domain;
using ProductHub.Domain.Status;
using ProductHub.Projections.Status;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Feed;

public sealed class when_measuring_served_json
{
    [Theory]
    [InlineData("12", 0)]
    [InlineData("{}", 1)]
    [InlineData("""{"a":[1,{"b":{}}],"c":{}}""", 4)]
    public void depth_counts_the_objects_and_arrays_that_nest(string json, int depth) =>
        ServedJson.DepthOf(Encoding.UTF8.GetBytes(json)).ShouldBe(depth);

    [Fact]
    public void forty_eight_levels_are_served_and_forty_nine_are_not() =>
        (ServedJson.TooDeep(HostileEvents.Nested(48)), ServedJson.TooDeep(HostileEvents.Nested(49))).ShouldBe((false, true));

    [Fact]
    public void a_status_report_keeps_details_it_can_serve_and_notes_the_ones_it_cannot()
    {
        static JsonElement Details(int levels) =>
            JsonDocument.Parse(HostileEvents.Nested(levels), new JsonDocumentOptions { MaxDepth = 600 }).RootElement;

        StatusReport.Of(new FirstArticleCompleted { Details = Details(3) }).Details!.Value.GetRawText().ShouldBe("""{"a":{"a":{}}}""");
        StatusReport.Of(new FirstArticleCompleted { Details = Details(500) }).Details!.Value.GetProperty("withheld").GetString()
            .ShouldBe("nested deeper than 48 levels");
    }
}
