using System;
using System.Globalization;

// The one definition of every hyperparameter range. This file is compiled into GraphSSL.Dsl (public, namespace
// GraphSSL) and, as linked source, into the generator (internal, GraphSSL.Generators.Common; see
// Generators/GraphSSL.Generators.csproj), so the analyzer's compile-time check, the generated Validate() and the
// runtime's own argument checks (Losses, objectives) all read the same rule and the same words.
#if GRAPHSSL_GENERATOR
namespace GraphSSL.Generators.Common
#else
namespace GraphSSL
#endif
{
    /// <summary>The values a declared hyperparameter accepts, checked by the analyzer and by the generated <c>Validate()</c>.</summary>
#if GRAPHSSL_GENERATOR
    internal
#else
    public
#endif
    enum ValueRange
    {
        /// <summary>Any value.</summary>
        Any,
        /// <summary>Greater than 0.</summary>
        Positive,
        /// <summary>0 or more.</summary>
        NonNegative,
        /// <summary>At least 1.</summary>
        AtLeastOne,
        /// <summary>At least 2.</summary>
        AtLeastTwo,
        /// <summary>In [0, 1).</summary>
        Ratio,
        /// <summary>In [0, 1].</summary>
        Probability,
    }

    /// <summary>What each <see cref="ValueRange"/> accepts and how it is said; generated <c>Validate()</c> methods call <see cref="Check(ValueRange, double, string)"/>.</summary>
#if GRAPHSSL_GENERATOR
    internal
#else
    public
#endif
    static class ValueRanges
    {
        /// <summary>Whether <paramref name="value"/> is in <paramref name="range"/> (NaN is in none but <see cref="ValueRange.Any"/>).</summary>
        public static bool Contains(this ValueRange range, double value)
        {
            switch (range)
            {
                case ValueRange.Positive: return value > 0;
                case ValueRange.NonNegative: return value >= 0;
                case ValueRange.AtLeastOne: return value >= 1;
                case ValueRange.AtLeastTwo: return value >= 2;
                case ValueRange.Ratio: return value >= 0 && value < 1;
                case ValueRange.Probability: return value >= 0 && value <= 1;
                default: return true;
            }
        }

        /// <summary>What the range asks for, in words: "greater than 0", "in [0, 1)", ….</summary>
        public static string Describe(this ValueRange range)
        {
            switch (range)
            {
                case ValueRange.Positive: return "greater than 0";
                case ValueRange.NonNegative: return "0 or more";
                case ValueRange.AtLeastOne: return "at least 1";
                case ValueRange.AtLeastTwo: return "at least 2";
                case ValueRange.Ratio: return "in [0, 1)";
                case ValueRange.Probability: return "in [0, 1]";
                default: return "valid";
            }
        }

        /// <summary>Returns <paramref name="value"/>; throws <see cref="ArgumentException"/> ("T must be greater than 0, was -1.") when it is out of <paramref name="range"/>.</summary>
        public static double Check(this ValueRange range, double value, string name)
        {
            if (!range.Contains(value))
                throw new ArgumentException(name + " must be " + range.Describe() + ", was " + value.ToString("R", CultureInfo.InvariantCulture) + ".", name);
            return value;
        }

        /// <summary>Returns <paramref name="value"/>; throws <see cref="ArgumentException"/> when it is out of <paramref name="range"/>.</summary>
        public static int Check(this ValueRange range, int value, string name)
        {
            if (!range.Contains(value))
                throw new ArgumentException(name + " must be " + range.Describe() + ", was " + value.ToString(CultureInfo.InvariantCulture) + ".", name);
            return value;
        }
    }
}
