//! Element builders the views share. Every `html!` element expands to its own block of code at
//! each call site, and a computed `class` goes through yew's hashed class set; these build the
//! same virtual nodes (static attribute names, per-render values, as `html!` does) in one place.

use std::rc::Rc;

use yew::html::{onchange, onclick, onkeydown};
use yew::prelude::*;
use yew::virtual_dom::{
    AttrValue, AttributeOrProperty, Attributes, Key, Listener, Listeners, VList, VTag, VText,
};

/// An attribute value: `None` leaves the attribute out.
pub type Attr = Option<AttributeOrProperty>;

/// A value as an attribute.
pub fn attr(v: AttrValue) -> Attr {
    Some(AttributeOrProperty::Attribute(v))
}

/// A static attribute value.
pub fn s(v: &'static str) -> Attr {
    attr(AttrValue::Static(v))
}

/// A static attribute value, only when `on`.
pub fn s_if(on: bool, v: &'static str) -> Attr {
    if on {
        s(v)
    } else {
        None
    }
}

/// A static attribute value, left out when empty.
pub fn s_opt(v: &'static str) -> Attr {
    s_if(!v.is_empty(), v)
}

/// A number as an attribute value (coordinates, sizes, counters).
pub fn num(v: f64) -> Attr {
    own(v.to_string())
}

/// An integer as an attribute value.
pub fn int(v: u64) -> Attr {
    own(v.to_string())
}

/// A computed string as an attribute value.
pub fn own(v: String) -> Attr {
    attr(v.into())
}

/// An optional computed string as an attribute value.
pub fn own_opt(v: Option<String>) -> Attr {
    v.and_then(own)
}

/// `translate(x y)` for a `transform` attribute.
pub fn translate(x: f64, y: f64) -> Attr {
    own(format!("translate({x} {y})"))
}

/// A text node.
pub fn txt(v: impl Into<AttrValue>) -> Html {
    VText::new(v.into()).into()
}

/// Children drawn from a list (kept as one node, as `html!` keeps a `{ for … }` block).
pub fn list(children: Vec<Html>) -> Html {
    VList::with_children(children, None).into()
}

/// A version stamp of what a part of the page reads (its inputs mixed FNV-style).
#[derive(Clone, Copy)]
pub struct Stamp(pub u64);

impl Stamp {
    pub const NEW: Stamp = Stamp(0xcbf2_9ce4_8422_2325);

    /// Mixes in `v` (a bijection of the stamp for a given `v`: a change of one input always
    /// changes the stamp).
    pub fn int(self, v: u64) -> Stamp {
        Stamp((self.0 ^ v).wrapping_mul(0x100_0000_01b3))
    }
}

#[derive(Properties, Clone)]
pub struct MemoProps {
    stamp: u64,
    view: Rc<dyn Fn() -> Html>,
}

/// Equal when the stamps are: the view is not compared.
impl PartialEq for MemoProps {
    fn eq(&self, other: &Self) -> bool {
        self.stamp == other.stamp
    }
}

#[function_component(Memo)]
fn memo_view(props: &MemoProps) -> Html {
    (props.view)()
}

/// A part of the page drawn by `view`, drawn again only when `stamp` (a version of everything
/// `view` reads) changes: an unchanged part costs neither a rebuild nor a diff each frame.
pub fn memo(stamp: Stamp, view: Rc<dyn Fn() -> Html>) -> Html {
    html! { <Memo stamp={stamp.0} {view} /> }
}

/// One event listener of an element (`yew::html::onclick::Wrapper::new(callback)` and the like).
pub type On = Option<Rc<dyn Listener>>;

pub fn listen<L: Listener + 'static>(listener: L) -> On {
    Some(Rc::new(listener))
}

pub fn on_click(cb: Callback<MouseEvent>) -> On {
    listen(onclick::Wrapper::new(cb))
}

pub fn on_change(cb: Callback<Event>) -> On {
    listen(onchange::Wrapper::new(cb))
}

pub fn on_keydown(cb: Callback<KeyboardEvent>) -> On {
    listen(onkeydown::Wrapper::new(cb))
}

fn attributes(keys: &'static [&'static str], values: Vec<Attr>) -> Attributes {
    Attributes::Dynamic {
        keys,
        values: values.into_boxed_slice(),
    }
}

fn listeners(listeners: Vec<On>) -> Listeners {
    if listeners.is_empty() {
        Listeners::None
    } else {
        Listeners::Pending(listeners.into())
    }
}

/// `<tag keys[i]=values[i]…>children</tag>`, with a node reference, a key and listeners.
pub fn el_full(
    tag: &'static str,
    node_ref: NodeRef,
    key: Option<Key>,
    keys: &'static [&'static str],
    values: Vec<Attr>,
    on: Vec<On>,
    mut children: Vec<Html>,
) -> Html {
    let children = match children.len() {
        0 => Html::default(),
        1 => children.pop().unwrap_or_default(),
        _ => VList::with_children(children, None).into(),
    };
    VTag::__new_other(
        AttrValue::Static(tag),
        node_ref,
        key,
        attributes(keys, values),
        listeners(on),
        children,
    )
    .into()
}

/// `<input keys[i]=values[i]…>` whose `value` is set as the element's value (as `html!` does).
pub fn input(
    node_ref: NodeRef,
    value: Option<AttrValue>,
    keys: &'static [&'static str],
    values: Vec<Attr>,
    on: Vec<On>,
) -> Html {
    VTag::__new_input(
        value,
        None,
        node_ref,
        None,
        attributes(keys, values),
        listeners(on),
    )
    .into()
}

/// `<textarea keys[i]=values[i]…>` whose `value` is set as the element's value.
pub fn textarea(
    node_ref: NodeRef,
    value: AttrValue,
    keys: &'static [&'static str],
    values: Vec<Attr>,
    on: Vec<On>,
) -> Html {
    VTag::__new_textarea(
        Some(value),
        None,
        node_ref,
        None,
        attributes(keys, values),
        listeners(on),
    )
    .into()
}

/// `<tag class>children</tag>` (no class attribute when `class` is empty).
pub fn tag(name: &'static str, class: &'static str, children: Vec<Html>) -> Html {
    el(name, &["class"], vec![s_opt(class)], children)
}

/// `<tag keys[i]=values[i]…>children</tag>`.
pub fn el(
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<Attr>,
    children: Vec<Html>,
) -> Html {
    el_on(tag, keys, values, Vec::new(), children)
}

/// `<tag keys[i]=values[i]… on…>children</tag>`.
pub fn el_on(
    tag: &'static str,
    keys: &'static [&'static str],
    values: Vec<Attr>,
    listeners: Vec<On>,
    children: Vec<Html>,
) -> Html {
    el_full(
        tag,
        NodeRef::default(),
        None,
        keys,
        values,
        listeners,
        children,
    )
}

/// A class attribute: `base`, plus `extra` when `on`.
pub fn class_if(base: &'static str, on: bool, extra: &'static str) -> Attr {
    if on {
        own(format!("{base} {extra}"))
    } else {
        s(base)
    }
}

/// SVG `<text class x y>child</text>` (no class attribute when `class` is empty).
pub fn svg_text(class: &'static str, x: f64, y: f64, child: Html) -> Html {
    el(
        "text",
        &["class", "x", "y"],
        vec![s_opt(class), num(x), num(y)],
        vec![child],
    )
}

/// SVG `<text class x y fill>child</text>` in a group's color.
pub fn svg_text_fill(class: &'static str, x: f64, y: f64, fill: &'static str, child: Html) -> Html {
    el(
        "text",
        &["class", "x", "y", "fill"],
        vec![s(class), num(x), num(y), s(fill)],
        vec![child],
    )
}

/// SVG `<g class transform>children</g>`.
pub fn group(class: Attr, x: f64, y: f64, children: Vec<Html>) -> Html {
    el(
        "g",
        &["class", "transform"],
        vec![class, translate(x, y)],
        children,
    )
}

/// SVG `<title>text</title>` (a tooltip).
pub fn title(text: impl Into<AttrValue>) -> Html {
    el("title", &[], Vec::new(), vec![txt(text)])
}

/// `<span class>child</span>`.
pub fn span(class: &'static str, child: Html) -> Html {
    el("span", &["class"], vec![s_opt(class)], vec![child])
}

/// `<option value selected>text</option>`.
pub fn option(value: impl Into<AttrValue>, selected: bool, text: impl Into<AttrValue>) -> Html {
    option_inner(value.into(), selected, text.into())
}

fn option_inner(value: AttrValue, selected: bool, text: AttrValue) -> Html {
    el(
        "option",
        &["value", "selected"],
        vec![attr(value), s_if(selected, "selected")],
        vec![txt(text)],
    )
}
