using System;
using System.Text;

namespace GraphSSL.Generators.Common
{
    /// <summary>
    /// Builds C# text line by line with an indentation level, so emitters read like the code they write.
    /// Lines are separated by '\n' whatever the platform, so snapshots are stable.
    /// </summary>
    internal sealed class SourceWriter
    {
        private const string IndentUnit = "    ";
        private readonly StringBuilder builder = new StringBuilder();
        private int depth;

        /// <summary>Writes one line at the current indentation (an empty line stays empty).</summary>
        public SourceWriter Line(string text = "")
        {
            if (text.Length > 0)
            {
                for (int i = 0; i < depth; i++) builder.Append(IndentUnit);
                builder.Append(text);
            }
            builder.Append('\n');
            return this;
        }

        /// <summary>Writes several lines (split on '\n') at the current indentation.</summary>
        public SourceWriter Lines(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
                Line(line);
            return this;
        }

        /// <summary>Writes <paramref name="header"/> (unless null), an opening brace, and indents until the scope is disposed.</summary>
        public Scope Block(string? header, string close = "}")
        {
            if (header != null) Line(header);
            Line("{");
            depth++;
            return new Scope(this, close);
        }

        /// <summary>Indents until the scope is disposed, without braces.</summary>
        public Scope Indent()
        {
            depth++;
            return new Scope(this, null);
        }

        public override string ToString() => builder.ToString();

        internal readonly struct Scope : IDisposable
        {
            private readonly SourceWriter writer;
            private readonly string? close;

            public Scope(SourceWriter writer, string? close)
            {
                this.writer = writer;
                this.close = close;
            }

            public void Dispose()
            {
                writer.depth--;
                if (close != null) writer.Line(close);
            }
        }
    }
}
