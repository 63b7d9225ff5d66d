using System.Text.Json.Nodes;
using ProductHub.Tests.Support;

namespace ProductHub.Tests.Api;

/// <summary>Every list answers pages: <c>items</c>, <c>page</c>, <c>pageSize</c>, <c>total</c> and a <c>next</c> link that keeps the filters.</summary>
public sealed class when_paging_through_a_list(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task following_next_walks_every_item_once_in_order()
    {
        foreach (var code in new[] { "PG5", "PG1", "PG4", "PG2", "PG3" })
            (await Api.ConfigurePlant(code, new { name = code, erpInstance = "erp-none" })).Status.ShouldBe(201);

        var seen = new List<string>();
        var pages = new List<JsonNode>();
        string? next = "/api/v1/plants?pageSize=2";
        while (next is not null)
        {
            var page = (await Api.Get(next)).Json;
            pages.Add(page);
            seen.AddRange(page["items"]!.AsArray().Select(p => p!["plantCode"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
        }

        seen.ShouldBe(["PG1", "PG2", "PG3", "PG4", "PG5"]);
        pages.Select(p => p["page"]!.GetValue<int>()).ShouldBe([1, 2, 3]);
        pages.ShouldAllBe(p => p["total"]!.GetValue<long>() == 5 && p["pageSize"]!.GetValue<int>() == 2);
        pages[0]["next"]!.GetValue<string>().ShouldBe("/api/v1/plants?page=2&pageSize=2");
    }

    [Fact]
    public async Task the_next_link_keeps_the_filters_and_a_page_past_the_end_is_empty()
    {
        var units = (await Api.Get("/api/v1/units?pageSize=3")).Json;
        var total = units["total"]!.GetValue<long>();
        total.ShouldBeGreaterThan(3);
        units["items"]!.AsArray().Count.ShouldBe(3);

        var exceptions = (await Api.Get("/api/v1/exceptions?plant=P9&status=open&pageSize=1&page=7")).Json;
        exceptions["items"]!.AsArray().ShouldBeEmpty();
        exceptions["next"].ShouldBeNull();
        (await Api.Get($"/api/v1/units?page={total}&pageSize=1")).Json["next"].ShouldBeNull();
        (await Api.Get("/api/v1/units?pageSize=1&page=2")).Json["next"]!.GetValue<string>().ShouldBe("/api/v1/units?page=3&pageSize=1");
        (await Api.Get("/api/v1/deliveries?status=sent&pageSize=5")).Json["next"].ShouldBeNull();
    }

    [Theory]
    [InlineData("/api/v1/plants?page=0", "page")]
    [InlineData("/api/v1/deliveries?pageSize=501", "pageSize")]
    [InlineData("/api/v1/exceptions?pageSize=abc", "pageSize")]
    [InlineData("/api/v1/change-orders?page=-1", "page")]
    [InlineData("/api/v1/units?pageSize=0", "pageSize")]
    [InlineData("/api/v1/erp-instances?page=x", "page")]
    [InlineData("/api/v1/parts/PUMP/where-used?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/plants/P1/parts?page=1.5", "page")]
    public async Task a_bad_page_or_page_size_is_a_problem_naming_it(string url, string field)
    {
        var answer = await Api.Get(url);

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ContentType.ShouldBe("application/problem+json");
        answer.ErrorFields.ShouldBe([field]);
    }
}
