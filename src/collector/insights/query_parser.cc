#include "collector/insights/query_parser.h"

#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "collector/insights/expression_parser.h"
#include "collector/insights/query_lexer.h"
#include "collector/insights/text_pattern.h"

namespace ck::collector::insights {
namespace {

class CommandParser {
 public:
  CommandParser(std::string_view text, std::vector<Token> tokens, Query* query)
      : text_(text), query_(query), expressions_(text, std::move(tokens), &query->slots) {}

  Status Run() {
    if (expressions_.Peek().kind == TokenKind::kEnd) return InvalidArgument("query is empty");
    while (true) {
      CK_RETURN_IF_ERROR(ParseCommand());
      if (expressions_.Consume(TokenKind::kPipe)) continue;
      if (expressions_.Peek().kind == TokenKind::kEnd) return Status::Ok();
      return expressions_.Unexpected(expressions_.Peek());
    }
  }

 private:
  Status ParseCommand() {
    const Token& name = expressions_.Peek();
    if (name.kind != TokenKind::kIdentifier) return expressions_.Unexpected(name);
    Command command;
    command.offset = name.offset;
    Status status;
    if (expressions_.ConsumeKeyword("fields")) {
      command.kind = CommandKind::kFields;
      status = ParseFields(&command);
    } else if (expressions_.ConsumeKeyword("display")) {
      command.kind = CommandKind::kDisplay;
      status = ParseNames(&command);
    } else if (expressions_.ConsumeKeyword("dedup")) {
      command.kind = CommandKind::kDedup;
      status = ParseNames(&command);
    } else if (expressions_.ConsumeKeyword("filter")) {
      command.kind = CommandKind::kFilter;
      status = ParseFilter(&command);
    } else if (expressions_.ConsumeKeyword("stats")) {
      command.kind = CommandKind::kStats;
      status = ParseStats(&command);
    } else if (expressions_.ConsumeKeyword("sort")) {
      command.kind = CommandKind::kSort;
      status = ParseSort(&command);
    } else if (expressions_.ConsumeKeyword("limit")) {
      command.kind = CommandKind::kLimit;
      status = ParseLimit(&command);
    } else if (expressions_.ConsumeKeyword("parse")) {
      command.kind = CommandKind::kParse;
      status = ParseParse(&command);
    } else {
      return expressions_.Unexpected(name);
    }
    CK_RETURN_IF_ERROR(status);
    query_->commands.push_back(std::move(command));
    return Status::Ok();
  }

  // `expr [as name]`; an unnamed expression is named by its text, a bare field by its name.
  Result<NamedExpr> ParseNamed(bool allow_aggregates) {
    NamedExpr named;
    const size_t begin = expressions_.Peek().offset;
    named.offset = begin;
    CK_ASSIGN_OR_RETURN(named.expr, expressions_.ParseExpression(allow_aggregates));
    const std::string_view source = expressions_.SourceSince(begin);
    if (expressions_.ConsumeKeyword("as")) {
      CK_ASSIGN_OR_RETURN(named.slot, expressions_.ParseFieldName());
      named.assigns = true;
    } else if (named.expr->kind == ExprKind::kField) {
      named.slot = named.expr->slot;
    } else {
      named.slot = expressions_.InternSlot(source);
      named.assigns = true;
    }
    return named;
  }

  Status ParseFields(Command* command) {
    do {
      CK_ASSIGN_OR_RETURN(NamedExpr item, ParseNamed(false));
      command->items.push_back(std::move(item));
    } while (expressions_.Consume(TokenKind::kComma));
    return Status::Ok();
  }

  Status ParseNames(Command* command) {
    do {
      CK_ASSIGN_OR_RETURN(int slot, expressions_.ParseFieldName());
      command->slots.push_back(slot);
    } while (expressions_.Consume(TokenKind::kComma));
    return Status::Ok();
  }

  Status ParseFilter(Command* command) {
    CK_ASSIGN_OR_RETURN(command->condition, expressions_.ParseExpression(false));
    return Status::Ok();
  }

  // Collects the aggregate calls of a stats item; fields may only appear inside them.
  Status CollectAggregates(Expr* expr, Command* command) {
    if (expr->kind == ExprKind::kAggregate) {
      expr->aggregate_index = static_cast<int>(command->aggregates.size());
      command->aggregates.push_back(expr);
      return Status::Ok();
    }
    if (expr->kind == ExprKind::kField) {
      return expressions_.ErrorAt(expr->offset, "field " + query_->slots[expr->slot].name +
                                                    " must be used inside an aggregate function");
    }
    for (auto& arg : expr->args) CK_RETURN_IF_ERROR(CollectAggregates(arg.get(), command));
    return Status::Ok();
  }

  Status AddOutput(const NamedExpr& named, std::vector<int>* outputs) {
    if (std::find(outputs->begin(), outputs->end(), named.slot) != outputs->end()) {
      return expressions_.ErrorAt(
          named.offset, "duplicate field name " + query_->slots[named.slot].name + " in stats");
    }
    outputs->push_back(named.slot);
    return Status::Ok();
  }

  Status ParseStats(Command* command) {
    std::vector<int> outputs;
    do {
      const size_t before = command->aggregates.size();
      CK_ASSIGN_OR_RETURN(NamedExpr item, ParseNamed(true));
      CK_RETURN_IF_ERROR(CollectAggregates(item.expr.get(), command));
      if (command->aggregates.size() == before) {
        return expressions_.ErrorAt(item.offset,
                                    "stats needs an aggregate function such as count(*)");
      }
      item.assigns = true;
      CK_RETURN_IF_ERROR(AddOutput(item, &outputs));
      command->items.push_back(std::move(item));
    } while (expressions_.Consume(TokenKind::kComma));
    if (expressions_.ConsumeKeyword("by")) {
      do {
        CK_ASSIGN_OR_RETURN(NamedExpr group, ParseNamed(false));
        group.assigns = true;
        CK_RETURN_IF_ERROR(AddOutput(group, &outputs));
        command->groups.push_back(std::move(group));
      } while (expressions_.Consume(TokenKind::kComma));
    }
    return Status::Ok();
  }

  Status ParseSort(Command* command) {
    do {
      SortKey key;
      CK_ASSIGN_OR_RETURN(key.expr, expressions_.ParseExpression(false));
      if (expressions_.ConsumeKeyword("asc")) {
        key.descending = false;
      } else {
        expressions_.ConsumeKeyword("desc");
      }
      command->keys.push_back(std::move(key));
    } while (expressions_.Consume(TokenKind::kComma));
    return Status::Ok();
  }

  Status ParseLimit(Command* command) {
    const Token& token = expressions_.Peek();
    if (token.kind != TokenKind::kNumber) {
      if (token.kind == TokenKind::kEnd || token.kind == TokenKind::kPipe) {
        return expressions_.Unexpected(token);
      }
      return expressions_.ErrorAt(token.offset, "limit must be a positive integer");
    }
    if (token.number < 1 || token.number > 1e15 || std::floor(token.number) != token.number) {
      return expressions_.ErrorAt(token.offset, "limit must be a positive integer");
    }
    command->limit = static_cast<uint64_t>(token.number);
    expressions_.Advance();
    return Status::Ok();
  }

  Status ParseParse(Command* command) {
    const Token& first = expressions_.Peek();
    auto source = std::make_unique<Expr>();
    source->kind = ExprKind::kField;
    source->offset = first.offset;
    if (first.kind == TokenKind::kString || first.kind == TokenKind::kRegex) {
      source->slot = expressions_.InternSlot("@message");
    } else {
      CK_ASSIGN_OR_RETURN(source->slot, expressions_.ParseFieldName());
    }
    command->source = std::move(source);
    const Token& pattern = expressions_.Peek();
    if (pattern.kind == TokenKind::kString) {
      Result<std::shared_ptr<const re2::RE2>> glob = CompileGlob(pattern.text);
      if (!glob.ok()) return expressions_.ErrorAt(pattern.offset, glob.status().message());
      command->pattern = std::move(*glob);
      const size_t wildcards = std::count(pattern.text.begin(), pattern.text.end(), '*');
      expressions_.Advance();
      if (wildcards == 0) {
        return expressions_.ErrorAt(pattern.offset, "parse pattern has no * to capture");
      }
      if (!expressions_.ConsumeKeyword("as")) return expressions_.Unexpected(expressions_.Peek());
      do {
        CK_ASSIGN_OR_RETURN(int slot, expressions_.ParseFieldName());
        command->capture_slots.push_back(slot);
      } while (expressions_.Consume(TokenKind::kComma));
      if (command->capture_slots.size() != wildcards) {
        return expressions_.ErrorAt(
            pattern.offset, "parse pattern has " + std::to_string(wildcards) + " wildcards but " +
                                std::to_string(command->capture_slots.size()) + " field names");
      }
      return Status::Ok();
    }
    if (pattern.kind != TokenKind::kRegex) return expressions_.Unexpected(pattern);
    Result<std::shared_ptr<const re2::RE2>> regex = CompileRegex(pattern.text);
    if (!regex.ok()) return expressions_.ErrorAt(pattern.offset, regex.status().message());
    command->pattern = std::move(*regex);
    command->capture_slots.assign(command->pattern->NumberOfCapturingGroups(), -1);
    // std::map: groups in name order, so slots are interned deterministically.
    const std::map<std::string, int>& names = command->pattern->NamedCapturingGroups();
    for (const auto& [name, group] : names) {
      command->capture_slots[group - 1] = expressions_.InternSlot(name);
    }
    if (names.empty()) {
      return expressions_.ErrorAt(pattern.offset,
                                  "parse regular expression needs a named capture group such as "
                                  "(?<name>...)");
    }
    expressions_.Advance();
    return Status::Ok();
  }

  std::string_view text_;
  Query* query_;
  ExpressionParser expressions_;
};

}  // namespace

Result<std::unique_ptr<Query>> ParseCommands(std::string_view text) {
  if (text.size() > kMaxQueryLength) {
    return InvalidArgument("query is too long: the maximum is " + std::to_string(kMaxQueryLength) +
                           " characters");
  }
  CK_ASSIGN_OR_RETURN(std::vector<Token> tokens, TokenizeQuery(text));
  auto query = std::make_unique<Query>();
  query->text = std::string(text);
  // The tokens and slots refer to query->text from here on.
  CommandParser parser(query->text, std::move(tokens), query.get());
  CK_RETURN_IF_ERROR(parser.Run());
  return query;
}

}  // namespace ck::collector::insights
