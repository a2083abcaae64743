//! A form on the wire and in stored documents: one flat object keyed by field, whatever the
//! struct looks like inside (`storage_name`, not `storage.name`).

use super::{Access, Field, Form};
use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// Writes a form as one flat object keyed by field: text and choices as strings, lists as
/// arrays of strings, flags as booleans (the shape of the API and of stored documents).
pub fn serialize_form<F: Form, S: Serializer>(form: &F, serializer: S) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(F::fields().len()))?;
    for field in F::fields() {
        match field.access {
            Access::Text { get, .. } => map.serialize_entry(field.key, get(form))?,
            Access::Choice { get, .. } => map.serialize_entry(field.key, get(form))?,
            Access::List { get, .. } => map.serialize_entry(field.key, get(form))?,
            Access::Flag { get, .. } => map.serialize_entry(field.key, get(form))?,
        }
    }
    map.end()
}

/// Reads a form written by [`serialize_form`]: missing keys keep their defaults, unknown keys are
/// ignored, and a value of the wrong type or a choice that is not an option is an error.
pub fn deserialize_form<'de, F: Form, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<F, D::Error> {
    deserializer.deserialize_map(FormVisitor(PhantomData))
}

struct FormVisitor<F>(PhantomData<F>);

impl<'de, F: Form> Visitor<'de> for FormVisitor<F> {
    type Value = F;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a form as an object keyed by field")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F, A::Error> {
        let mut form = F::default();
        while let Some(key) = map.next_key::<String>()? {
            match F::field(&key) {
                Some(field) => map.next_value_seed(FieldSeed {
                    field,
                    form: &mut form,
                })?,
                None => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(form)
    }
}

/// Reads one field's value into the form.
struct FieldSeed<'a, F: Form> {
    field: &'static Field<F>,
    form: &'a mut F,
}

impl<'de, F: Form> DeserializeSeed<'de> for FieldSeed<'_, F> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.field.access {
            Access::Text { get_mut, .. } => {
                *get_mut(self.form) = String::deserialize(deserializer)?
            }
            Access::Choice { set, .. } => {
                let name = String::deserialize(deserializer)?;
                set(self.form, &name).map_err(|_| {
                    serde::de::Error::custom(format!(
                        "{} is not an option of {}",
                        name, self.field.key
                    ))
                })?;
            }
            Access::List { get_mut, .. } => {
                *get_mut(self.form) = Vec::<String>::deserialize(deserializer)?
            }
            Access::Flag { get_mut, .. } => *get_mut(self.form) = bool::deserialize(deserializer)?,
        }
        Ok(())
    }
}
