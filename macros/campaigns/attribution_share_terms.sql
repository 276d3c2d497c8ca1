{#- For every attribution model, the numerator and denominator of a
    touchpoint's share (columns share_numerator_<model> and
    share_denominator_<model>, model in lower case), per conversion kind with
    its weights (attribution_dealt_weights), over the columns of
    int_attribution_credits_dealt's held_roles: the roles (is_*_touch,
    has_*_touch), pool_size, decay_weight, decay_weight_total and the "others"
    counts of attribution_role_sets. ROLES: step 4, a touchpoint receives the
    share of every role it holds; step 2, a role nobody holds is dropped;
    step 3, what is held is scaled to 1, "others" are dropped when there are
    none and their share is split equally among them. Integers (thousandths),
    so that the share is one exact ratio. LINEAR: 1 / pool size. TIME_DECAY:
    the decay weight over the pool's total. -#}
{% macro attribution_share_terms() -%}
    {%- set role_names = ['first', 'last', 'lead', 'deal', 'won'] -%}
    {%- set dealt = attribution_dealt_weights() -%}
    {%- set column_of = attribution_role_sets()['column_of'] -%}
    {%- set items = [] -%}
    {%- for attribution_model in attribution_models() -%}
        {%- set numerators = {} -%}
        {%- set denominators = {} -%}
        {%- for conversion_kind in attribution_conversion_kinds() -%}
            {%- set key = attribution_model['name'] ~ '|' ~ conversion_kind -%}
            {%- set weights = dealt[key]['weights'] -%}
            {%- set method = dealt[key]['method'] -%}
            {%- if method == 'LINEAR' -%}
                {%- set numerator = '1' -%}
                {%- set denominator = 'pool_size' -%}
            {%- elif method == 'TIME_DECAY' -%}
                {%- set numerator = 'decay_weight' -%}
                {%- set denominator = 'decay_weight_total' -%}
            {%- else -%}
                {%- set others = 'greatest(' ~ column_of[key] ~ ', 1)' -%}
                {%- set role_terms = [] -%}
                {%- set held_terms = [] -%}
                {%- for role_name in role_names if weights[role_name] > 0 -%}
                    {%- do role_terms.append(
                        'case when is_' ~ role_name ~ '_touch then ' ~ weights[role_name] ~ ' else 0 end'
                    ) -%}
                    {%- if role_name in ['first', 'last'] -%}
                        {%- do held_terms.append(weights[role_name] | string) -%}
                    {%- else -%}
                        {%- do held_terms.append('has_' ~ role_name ~ '_touch * ' ~ weights[role_name]) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- set role_weight = '(' ~ role_terms | join(' + ') ~ ')' -%}
                {%- set numerator = role_weight ~ ' * ' ~ others -%}
                {%- set held_weight = held_terms | join(' + ') -%}
                {%- if weights['others'] > 0 -%}
                    {%- set numerator = numerator ~ ' + case when ' ~ role_weight ~ ' = 0 then '
                        ~ weights['others'] ~ ' else 0 end' -%}
                    {%- set held_weight = held_weight ~ ' + case when ' ~ column_of[key]
                        ~ ' > 0 then ' ~ weights['others'] ~ ' else 0 end' -%}
                {%- endif -%}
                {%- set denominator = others ~ ' * (' ~ held_weight ~ ')' -%}
            {%- endif -%}
            {%- do numerators.update({conversion_kind: numerator}) -%}
            {%- do denominators.update({conversion_kind: denominator}) -%}
        {%- endfor -%}
        {%- for name, terms in [('share_numerator', numerators), ('share_denominator', denominators)] -%}
            {%- if terms.values() | unique | list | length == 1 -%}
                {%- set expression = terms.values() | first -%}
            {%- else -%}
                {%- set whens = [] -%}
                {%- for conversion_kind, term in terms.items() -%}
                    {%- do whens.append("when '" ~ conversion_kind ~ "' then " ~ term) -%}
                {%- endfor -%}
                {%- set expression = 'case conversion_kind ' ~ whens | join(' ') ~ ' end' -%}
            {%- endif -%}
            {%- do items.append(expression ~ ' as ' ~ name ~ '_' ~ attribution_model['name'] | lower) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{#- For every attribution model, share_<model> and credited_value_<model>
    (model in lower case) of `relation`'s share_numerator_<model> and
    share_denominator_<model> (attribution_share_terms), split 1/k over the k
    campaigns (`campaign_count`) of the touchpoint: one division each, so that a
    role model's share is the exact ratio rounded once. -#}
{% macro attribution_share_columns(relation, campaign_count, conversion_value) -%}
    {%- set items = [] -%}
    {%- for attribution_model in attribution_models() -%}
        {%- set model_name = attribution_model['name'] | lower -%}
        {%- set numerator = 'cast(' ~ relation ~ '.share_numerator_' ~ model_name ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set denominator = '(' ~ relation ~ '.share_denominator_' ~ model_name
            ~ ' * greatest(' ~ campaign_count ~ ', 1))' -%}
        {%- do items.append(numerator ~ ' / ' ~ denominator ~ ' as share_' ~ model_name) -%}
    {%- endfor -%}
    {%- for attribution_model in attribution_models() -%}
        {%- set model_name = attribution_model['name'] | lower -%}
        {%- set numerator = 'cast(' ~ relation ~ '.share_numerator_' ~ model_name ~ ' as ' ~ type_double() ~ ')' -%}
        {%- set denominator = '(' ~ relation ~ '.share_denominator_' ~ model_name
            ~ ' * greatest(' ~ campaign_count ~ ', 1))' -%}
        {%- do items.append(
            numerator ~ ' * ' ~ conversion_value ~ ' / ' ~ denominator ~ ' as credited_value_' ~ model_name
        ) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{#- One column per attribution model: `expression` and `alias` with every `@`
    replaced by the model's name in lower case (e.g. `sum(share_@)` as
    `share_@`), for the marts that aggregate int_attribution_credits_dealt's
    per-model columns in one pass; `@bit` is first replaced by the model's bit
    in attribution_positive_shares. -#}
{% macro attribution_model_columns(expression, alias) -%}
    {%- set items = [] -%}
    {%- for attribution_model in attribution_models() -%}
        {%- set model_name = attribution_model['name'] | lower -%}
        {%- set bit = 2 ** loop.index0 -%}
        {%- do items.append(
            expression | replace('@bit', bit | string) | replace('@', model_name)
            ~ ' as ' ~ alias | replace('@', model_name)
        ) -%}
    {%- endfor -%}
    {{ items | join(',\n        ') }}
{%- endmacro %}

{#- One integer per credit row with a bit per attribution model (1 for the
    first model, 2 for the second, ...) set when the row's share under it is
    positive. Shares are never negative, so the `bit_or` of it over a group
    tells which models credit the group at all: one aggregate instead of one
    per model (test a model with `(<mask> & @bit) <> 0` in
    attribution_model_columns). -#}
{% macro attribution_positive_shares() -%}
    {%- set items = [] -%}
    {%- for attribution_model in attribution_models() -%}
        {%- do items.append(
            'case when share_' ~ attribution_model['name'] | lower ~ ' > 0 then '
            ~ 2 ** loop.index0 ~ ' else 0 end'
        ) -%}
    {%- endfor -%}
    {{ items | join('\n            + ') }}
{%- endmacro %}

{#- A `select ... union all ...` that turns `relation`'s per-model columns
    into one row per attribution model: `columns` in order, where
    `attribution_model` is the model's name, a column of `per_model` is read
    from <column>_<model> (model in lower case) and any other column as is. -#}
{% macro attribution_unpivot(relation, columns, per_model) -%}
    {%- set selects = [] -%}
    {%- for attribution_model in attribution_models() -%}
        {%- set model_name = attribution_model['name'] | lower -%}
        {%- set items = [] -%}
        {%- for column in columns -%}
            {%- if column == 'attribution_model' -%}
                {%- do items.append("'" ~ attribution_model['name'] ~ "' as attribution_model") -%}
            {%- elif column in per_model -%}
                {%- do items.append(column ~ '_' ~ model_name ~ ' as ' ~ column) -%}
            {%- else -%}
                {%- do items.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do selects.append('select\n        ' ~ items | join(',\n        ') ~ '\n    from ' ~ relation) -%}
    {%- endfor -%}
    {{ selects | join('\n    union all\n    ') }}
{%- endmacro %}
