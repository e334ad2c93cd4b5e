using System.Collections.Immutable;
using System.Linq;
using GraphSSL.Generators.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace GraphSSL.Generators.Analyzers
{
    /// <summary>
    /// GSSL0033: a <c>TorchSharp.Scalar</c> made on the fly (<c>t * 0.5</c>, <c>t.eq(i)</c>, <c>x.ToScalar()</c> as an
    /// argument) is unreachable as soon as TorchSharp has read its native handle, before libtorch uses it; TorchSharp
    /// 0.107 does not keep it alive (no <c>GC.KeepAlive</c>) and dispose scopes do not track Scalars, so a garbage
    /// collection at that moment lets the finalizer free it mid-call. Tensors made inside a dispose scope are held
    /// by the scope and are not affected. Off by default; GraphSSL's own projects turn it on as an error.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ScalarLifetimeAnalyzer : DiagnosticAnalyzer
    {
        private const string ScalarName = "TorchSharp.Scalar";
        private const string TensorName = "TorchSharp.torch+Tensor";

        /// <inheritdoc />
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptors.ScalarTemporary);

        /// <inheritdoc />
        public override void Initialize(AnalysisContext context)
        {
            // Generated code too: the training loops GraphSSL emits are held to the same rule.
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var scalar = start.Compilation.GetTypeByMetadataName(ScalarName);
                if (scalar is null) return;
                start.RegisterOperationAction(c => AnalyzeConversion(c, scalar), OperationKind.Conversion);
                start.RegisterOperationAction(c => AnalyzeInvocation(c, scalar), OperationKind.Invocation);
                var tensor = start.Compilation.GetTypeByMetadataName(TensorName);
                if (tensor is not null)
                    start.RegisterOperationAction(c => AnalyzeOperator(c, tensor), OperationKind.Binary);
            });
        }

        // An implicit (user-defined) conversion to Scalar anywhere is a temporary nobody holds.
        private static void AnalyzeConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
        {
            var conversion = (IConversionOperation)context.Operation;
            if (!conversion.Conversion.IsUserDefined) return;
            if (!SymbolEqualityComparer.Default.Equals(conversion.Type, scalar)) return;
            if (IsHeld(conversion)) return;
            Report(context, conversion.Operand);
        }

        // Tensor's operators with a number on one side (t * 0.5, 1 - t) convert it to a Scalar inside TorchSharp,
        // where nothing holds it either.
        private static void AnalyzeOperator(OperationAnalysisContext context, INamedTypeSymbol tensor)
        {
            var binary = (IBinaryOperation)context.Operation;
            var method = binary.OperatorMethod;
            if (method is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType, tensor)) return;
            // Every + is add(other) (alpha = 1, made inside TorchSharp), and so is number − tensor (negative().add(number)).
            if (binary.OperatorKind == BinaryOperatorKind.Add
                || (binary.OperatorKind == BinaryOperatorKind.Subtract && !SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, tensor)))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.ScalarTemporary, binary.Syntax.GetLocation(),
                    "'" + Shorten(binary.Syntax.ToString()) + "' calls add, which makes a TorchSharp Scalar (alpha = 1)",
                    binary.OperatorKind == BinaryOperatorKind.Add ? "Write a.add(b, Scalars.One)" : "Write b.neg().add_(a, Scalars.One) with a held a"));
                return;
            }
            for (int i = 0; i < method.Parameters.Length; i++)
            {
                if (!IsNumber(method.Parameters[i].Type)) continue;
                Report(context, i == 0 ? binary.LeftOperand : binary.RightOperand);
            }
        }

        private static bool IsNumber(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
            or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int16 or SpecialType.System_Byte
            or SpecialType.System_SByte or SpecialType.System_Boolean;

        // TorchSharp members that make a Scalar of their own inside and do not hold it either: add and add_ without
        // alpha (alpha = 1), addcdiv and addcdiv_ without value, softplus with its double beta and threshold.
        private static string? HiddenScalar(IMethodSymbol method, INamedTypeSymbol tensor)
        {
            if (!SymbolEqualityComparer.Default.Equals(method.ContainingType, tensor)) return null;
            switch (method.Name)
            {
                case "add" or "add_" when method.Parameters.Length == 1:
                    return "alpha = 1";
                case "addcdiv" or "addcdiv_" when method.Parameters.Length == 2:
                    return "value = 1";
                case "softplus":
                    return "beta and threshold";
                default:
                    return null;
            }
        }

        // x.ToScalar() used directly as an argument or operand is the same temporary, spelled out.
        private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol scalar)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var tensor = context.Compilation.GetTypeByMetadataName(TensorName);
            if (tensor is not null && HiddenScalar(invocation.TargetMethod, tensor) is { } hidden)
            {
                var name = invocation.TargetMethod.Name;
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.ScalarTemporary, invocation.Syntax.GetLocation(),
                    "'" + name + "' makes a TorchSharp Scalar (" + hidden + ")",
                    name == "softplus" ? "No TorchSharp overload takes held ones: compute it another way, or suppress with a comment saying so"
                        : "Pass a held one: " + name + "(…, Scalars.One)"));
                return;
            }
            if (invocation.TargetMethod.Name != "ToScalar" || !SymbolEqualityComparer.Default.Equals(invocation.Type, scalar)) return;
            if (IsHeld(invocation)) return;
            var receiver = invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : invocation.Instance;
            Report(context, receiver ?? invocation);
        }

        // Held: the Scalar initialises or is assigned to a variable, field or property (whose owner then decides
        // its lifetime), or is returned; a 'using var s = …' is the way to hold one for a call.
        private static bool IsHeld(IOperation operation)
        {
            var parent = operation.Parent;
            while (parent is IConversionOperation || parent is IParenthesizedOperation) parent = parent.Parent;
            return parent is IVariableInitializerOperation or ISimpleAssignmentOperation or IReturnOperation
                or IFieldInitializerOperation or IPropertyInitializerOperation;
        }

        private static void Report(OperationAnalysisContext context, IOperation operand)
        {
            var text = Shorten(operand.Syntax.ToString());
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.ScalarTemporary, operand.Syntax.GetLocation(),
                "'" + text + "' becomes a TorchSharp Scalar",
                "Hold it for the call ('using var s = (" + text + ").ToScalar();' and pass 's'), or use a Scalar kept in a field (GraphSSL.Scalars)"));
        }

        private static string Shorten(string text) => text.Length > 60 ? text.Substring(0, 57) + "..." : text;
    }
}
