using System.Reflection;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Frames;
using JasperFx.CodeGeneration.Model;
using JasperFx.Core.Reflection;
using ProductHub.Adapters.Contracts;
using Wolverine.Http;
using Wolverine.Http.CodeGen;
using Wolverine.Runtime;

namespace ProductHub.Hub.Api;

/// <summary>
/// The one policy for request bodies: an endpoint parameter whose type declares a <see cref="ContractAttribute"/>
/// is bound by <see cref="JsonBody.BindAsync{T}"/> (schema first, problems by JSON path) instead of Wolverine's
/// JSON reader, which would answer a bad field with one parse error, or 415 before the field could be named.
/// A nullable parameter makes the body optional. The OpenAPI document takes the body's schema from the same
/// <see cref="RequestContractAttribute"/> this adds to the endpoint.
/// </summary>
internal sealed class ContractBodies : IParameterStrategy
{
    private static readonly NullabilityInfoContext Nullability = new();

    public bool TryMatch(HttpChain chain, IServiceContainer container, ParameterInfo parameter, out Variable? variable)
    {
        variable = null;
        if (chain.HttpMethods.Contains("GET") || !parameter.ParameterType.HasAttribute<ContractAttribute>()) return false;

        var optional = Nullability.Create(parameter).WriteState == NullabilityState.Nullable;
        chain.Metadata.WithMetadata(new RequestContractAttribute(parameter.ParameterType) { Optional = optional });
        variable = new BindContractBody(parameter, optional).Body;
        return true;
    }

    private sealed class BindContractBody : AsyncFrame
    {
        private readonly bool _optional;
        private Variable? _context;

        public BindContractBody(ParameterInfo parameter, bool optional)
        {
            _optional = optional;
            Body = new Variable(parameter.ParameterType, parameter.Name!, this);
        }

        public Variable Body { get; }

        public override IEnumerable<Variable> FindVariables(IMethodVariables chain)
        {
            _context = chain.FindVariable(typeof(HttpContext));
            yield return _context;
        }

        public override void GenerateCode(GeneratedMethod method, ISourceWriter writer)
        {
            writer.WriteComment("Reading the request body: validated against its contract, then bound");
            writer.Write($"var ({Body.Usage}, {Body.Usage}Read) = await {typeof(JsonBody).FullNameInCode()}.{nameof(JsonBody.BindAsync)}" +
                         $"<{Body.VariableType.FullNameInCode()}>({_context!.Usage}, {(_optional ? "true" : "false")});");
            writer.Write($"if (!{Body.Usage}Read) return;");
            Next?.GenerateCode(method, writer);
        }
    }
}
